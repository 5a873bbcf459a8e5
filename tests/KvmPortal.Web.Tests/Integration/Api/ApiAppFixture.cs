using System.Net.Http.Headers;
using KvmPortal.Hypervisor.Networks;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Hypervisor.Vms.Create;
using KvmPortal.Hypervisor.Vms.Edit;
using KvmPortal.Web.Access;
using KvmPortal.Web.Access.Gated;
using KvmPortal.Web.Api.Tokens;
using KvmPortal.Web.Data;
using KvmPortal.Web.Tests.Access;
using KvmPortal.Web.Tests.Fakes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KvmPortal.Web.Tests.Integration.Api;

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiAppFixture>
{
    public const string Name = "API";
}

/// <summary>
/// The app with every service interface the API calls replaced by a recording fake, each behind the real access
/// gate (as the app registers it), so API calls are checked, audited, and reach the fakes when allowed.
/// </summary>
public sealed class ApiAppFixture : KvmPortalAppFixture
{
    public RecordingVmEditing Editing { get; } = new();
    public RecordingVmProvisioning Provisioning { get; } = new();
    public RecordingNetworkOperations Networks { get; } = new();
    public RecordingSnapshotOperations Snapshots { get; } = new();
    public RecordingVmCloning Cloning => cloning ??= new RecordingVmCloning(Inventory);
    private RecordingVmCloning? cloning;
    public RecordingVmTemplates Templates => templates ??= new RecordingVmTemplates(Inventory);
    private RecordingVmTemplates? templates;

    protected override void ConfigureTestDoubles(IServiceCollection services)
    {
        Gate<IVmOperations, GatedVmOperations>(services, VmOperations);
        Gate<IVmEditing, GatedVmEditing>(services, Editing);
        Gate<IVmProvisioning, GatedVmProvisioning>(services, Provisioning);
        Gate<KvmPortal.Hypervisor.Vms.Clone.IVmCloning, GatedVmCloning>(services, Cloning);
        Gate<KvmPortal.Hypervisor.Vms.Templates.IVmTemplates, GatedVmTemplates>(services, Templates);
        Gate<INetworkOperations, GatedNetworkOperations>(services, Networks);
        Gate<KvmPortal.Hypervisor.Snapshots.ISnapshotOperations, GatedSnapshotOperations>(services, Snapshots);
        Gate<IStorageOperations, GatedStorageOperations>(services, Storage);
        Gate<IStorageQueries, GatedStorageQueries>(services, Storage);
    }

    private static void Gate<TService, TGated>(IServiceCollection services, TService fake)
        where TService : class where TGated : TService
    {
        services.RemoveAll<TService>();
        services.AddScoped<TService>(sp => ActivatorUtilities.CreateInstance<TGated>(sp, fake));
    }

    public AccessScenario Access => new(this);

    public async Task<string> AdminIdAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        return (await users.FindByNameAsync("admin"))!.Id;
    }

    /// <summary>A new API token of the user, as the token page would create it.</summary>
    public async Task<CreatedToken> CreateTokenAsync(string userId, DateTimeOffset? expiresAt = null) =>
        await Services.GetRequiredService<ApiTokens>().CreateAsync(new Actor(userId, userId, null), "test " + Guid.NewGuid().ToString("N")[..6], expiresAt);

    /// <summary>A client sending the token as a bearer token, with no cookies.</summary>
    public HttpClient ApiClient(string token)
    {
        var client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> AdminClientAsync() => ApiClient((await CreateTokenAsync(await AdminIdAsync())).Token);
}
