using System.Net;
using Bunit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Api.Tokens;
using KvmPortal.Web.Components.Pages.Account;
using KvmPortal.Web.Tests.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration.Api;

/// <summary>The token page on the real token store: a created token is shown once, works, and stops working when revoked.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTokensPageTests(ApiAppFixture app) : BunitHarness
{
    private readonly SettableActor actor = new();

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(app.Services.GetRequiredService<ApiTokens>());
        services.AddSingleton<ICurrentActor>(actor);
    }

    [Fact]
    public async Task A_token_made_on_the_page_opens_the_api_until_revoked_there()
    {
        actor.Value = new Actor(await app.AdminIdAsync(), "admin", null);
        var page = Context.Render<ApiTokensPage>();
        var name = "page-" + Guid.NewGuid().ToString("N")[..8];

        // The list loads after the first render; click once the rendered button is the current one.
        page.WaitForAssertion(() => page.Find("[data-testid=token-create]").Click());
        page.WaitForAssertion(() => Assert.Contains("Give the token a name.", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=token-value]"));

        page.Find("input[data-testid=token-name], [data-testid=token-name] input").Change(name);
        page.Find("[data-testid=token-create]").Click();

        var token = page.WaitForElement("[data-testid=token-value]").TextContent;
        Assert.StartsWith("kvp_", token);
        var row = page.Find($"tr[data-token='{name}']");
        Assert.Equal("active", row.QuerySelector("[data-testid=token-status]")!.TextContent);
        Assert.DoesNotContain(token, row.TextContent); // the list shows the prefix only
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(token).GetAsync("/api/v1/vms")).StatusCode);

        page.WaitForAssertion(() => page.Find($"tr[data-token='{name}'] [data-testid=token-revoke]").Click());
        Dialogs.WaitForAssertion(() => Dialogs.Find("[data-testid=confirm]"));
        Dialogs.Find("[data-testid=confirm]").Click();

        page.WaitForAssertion(() => Assert.Equal("revoked", page.Find($"tr[data-token='{name}'] [data-testid=token-status]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=token-value]"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(token).GetAsync("/api/v1/vms")).StatusCode);
    }

    private sealed class SettableActor : ICurrentActor
    {
        public Actor? Value { get; set; }

        public Task<Actor> GetAsync(CancellationToken cancellationToken = default) =>
            Value is { } actor ? Task.FromResult(actor) : throw new AccessDeniedException(PortalAction.ViewVm, "Nobody is signed in.");
    }
}
