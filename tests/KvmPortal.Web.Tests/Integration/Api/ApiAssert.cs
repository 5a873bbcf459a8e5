using System.Net;
using System.Text.Json;

namespace KvmPortal.Web.Tests.Integration.Api;

internal static class ApiAssert
{
    /// <summary>Asserts an RFC 7807 answer with the status; returns its JSON.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        return json;
    }
}
