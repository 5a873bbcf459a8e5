using KvmPortal.Web.Access;
using KvmPortal.Web.Oidc;

namespace KvmPortal.Web.Tests.Oidc;

public sealed class OidcOptionsValidatorTests
{
    private static IEnumerable<string> Errors(OidcOptions options) =>
        new OidcOptionsValidator().Validate(null, options).Failures ?? [];

    private static OidcOptions Valid() => new() { Authority = "https://login.example.com/realms/kvm", ClientId = "kvmportal" };

    [Fact]
    public void Without_an_authority_the_feature_is_off_and_nothing_else_is_checked() =>
        Assert.Empty(Errors(new OidcOptions { ClientId = "" }));

    [Fact]
    public void A_complete_configuration_passes() => Assert.Empty(Errors(Valid()));

    [Theory]
    [InlineData("login.example.com", "Authority must be an absolute https URL")]
    [InlineData("ftp://login.example.com", "Authority must be an absolute https URL")]
    [InlineData("http://login.example.com", "Authority is plain http")]
    public void A_bad_authority_is_named(string authority, string expected)
    {
        var options = Valid();
        options.Authority = authority;
        Assert.Contains(Errors(options), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_http_passes_only_when_https_metadata_is_explicitly_not_required()
    {
        var options = Valid();
        options.Authority = "http://127.0.0.1:8080";
        options.RequireHttpsMetadata = false;
        Assert.Empty(Errors(options));
    }

    [Fact]
    public void A_missing_client_id_an_unknown_role_and_a_blank_team_are_each_named()
    {
        var options = Valid();
        options.ClientId = " ";
        options.GroupMappings["ops"] = new OidcGroupMapping { Role = (PortalRole)42 };
        options.GroupMappings["desk"] = new OidcGroupMapping { Role = PortalRole.HelpDesk, Team = "" };

        var errors = Errors(options).ToList();

        Assert.Contains(errors, e => e.Contains("ClientId is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("GroupMappings:ops:Role", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("GroupMappings:desk:Team", StringComparison.Ordinal));
    }
}
