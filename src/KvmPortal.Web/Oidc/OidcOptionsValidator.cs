using Microsoft.Extensions.Options;

namespace KvmPortal.Web.Oidc;

/// <summary>A half-configured identity provider stops the start with the key to fix, instead of failing at the first sign-in.</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            errors.Add($"{OidcOptions.Section}:Authority must be an absolute https URL.");
        else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
            errors.Add($"{OidcOptions.Section}:Authority is plain http: use https (RequireHttpsMetadata=false is for development only).");
        if (string.IsNullOrWhiteSpace(options.ClientId))
            errors.Add($"{OidcOptions.Section}:ClientId is required.");
        if (string.IsNullOrWhiteSpace(options.GroupClaim))
            errors.Add($"{OidcOptions.Section}:GroupClaim must not be empty.");
        if (string.IsNullOrWhiteSpace(options.UserNameClaim))
            errors.Add($"{OidcOptions.Section}:UserNameClaim must not be empty.");
        foreach (var (group, mapping) in options.GroupMappings)
        {
            if (!Enum.IsDefined(mapping.Role))
                errors.Add($"{OidcOptions.Section}:GroupMappings:{group}:Role is not a role.");
            if (mapping.Team is { } team && string.IsNullOrWhiteSpace(team))
                errors.Add($"{OidcOptions.Section}:GroupMappings:{group}:Team is blank (leave it out for a global grant).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
