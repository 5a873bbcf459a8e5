using KvmPortal.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Components.Account;

/// <summary>Identity's errors in the user's language (Identity describes them in English only).</summary>
public static class IdentityErrorText
{
    public static string Describe(IStringLocalizer<Strings> text, IdentityError error, PasswordOptions rules) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordMismatch) => text["IdentityPasswordMismatch"],
        nameof(IdentityErrorDescriber.PasswordTooShort) => text["IdentityPasswordTooShort", rules.RequiredLength],
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => text["IdentityPasswordRequiresDigit"],
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => text["IdentityPasswordRequiresLower"],
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => text["IdentityPasswordRequiresUpper"],
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => text["IdentityPasswordRequiresNonAlphanumeric"],
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => text["IdentityPasswordRequiresUniqueChars", rules.RequiredUniqueChars],
        _ => error.Description,
    };
}
