using System.Net;
using System.Text.Json;

namespace KvmPortal.Web.Tests.Integration.Api;

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiAppFixture app)
{
    [Fact]
    public async Task The_document_lists_the_api_and_nothing_else()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths")
            .EnumerateObject().Select(p => p.Name).ToList();
        foreach (var expected in new[]
                 {
                     "/api/v1/hosts", "/api/v1/hosts/{hostId}", "/api/v1/vms", "/api/v1/vms/{hostId}/{uuid}",
                     "/api/v1/vms/{hostId}/{uuid}/actions/{action}", "/api/v1/vms/{hostId}/{uuid}/xml",
                     "/api/v1/vms/{hostId}/{uuid}/clone", "/api/v1/vms/{hostId}/{uuid}/template", "/api/v1/vms/{hostId}/{uuid}/template/vms",
                     "/api/v1/vms/{hostId}/{uuid}/snapshots",
                     "/api/v1/vms/{hostId}/{uuid}/snapshots/{name}", "/api/v1/vms/{hostId}/{uuid}/snapshots/{name}/revert",
                     "/api/v1/vms/{hostId}/{uuid}/console-tickets", "/api/v1/pools/{hostId}", "/api/v1/pools/{hostId}/{pool}/volumes",
                     "/api/v1/pools/{hostId}/{pool}/volumes/{name}", "/api/v1/networks", "/api/v1/networks/{hostId}",
                     "/api/v1/networks/{hostId}/{uuid}/start", "/api/v1/networks/{hostId}/{uuid}/stop",
                     "/api/v1/usage/report", "/api/v1/vms/{hostId}/{uuid}/usage",
                 })
            Assert.Contains(expected, paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
    }
}
