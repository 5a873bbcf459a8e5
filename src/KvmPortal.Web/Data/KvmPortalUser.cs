using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Data;

public sealed class KvmPortalUser : IdentityUser
{
    public const int PreferredLanguageMaxLength = 16;

    /// <summary>The culture the user chose ("en", "zh-Hans"); null follows the browser's Accept-Language.</summary>
    public string? PreferredLanguage { get; set; }
}
