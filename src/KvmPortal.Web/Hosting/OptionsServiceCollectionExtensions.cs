using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Hosts;
using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Hosting;

public static class OptionsServiceCollectionExtensions
{
    public const string AdminPasswordVariable = "KVMPORTAL_ADMIN_PASSWORD";

    public static IServiceCollection AddKvmPortalOptions(this IServiceCollection services)
    {
        services.AddOptions<KvmPortalOptions>()
            .BindConfiguration(KvmPortalOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // A list default cannot live in the property initializer: the binder would append to it.
                if (options.DefaultHosts.Count == 0)
                    options.DefaultHosts.Add(KvmPortalOptions.DefaultHostUri);
                if (configuration[AdminPasswordVariable] is { Length: > 0 } password)
                    options.AdminPassword = password;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KvmPortalOptions>, DefaultHostsValidator>();

        services.AddOptions<HypervisorOptions>()
            .BindConfiguration("Hypervisor")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}

/// <summary>A typo in KvmPortal:DefaultHosts stops the start with libvirt-URI advice instead of a silent skip.</summary>
internal sealed class DefaultHostsValidator : IValidateOptions<KvmPortalOptions>
{
    public ValidateOptionsResult Validate(string? name, KvmPortalOptions options)
    {
        var errors = options.DefaultHosts
            .Select(uri => HostUri.Validate(uri) is { } error ? $"KvmPortal:DefaultHosts '{uri}': {error}" : null)
            .OfType<string>()
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
