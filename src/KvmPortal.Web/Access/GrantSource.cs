namespace KvmPortal.Web.Access;

/// <summary>Where a role grant came from, so a sign-in through the identity provider replaces only its own grants.</summary>
public enum GrantSource
{
    /// <summary>Given by an administrator in /admin/users (or by the start-up bootstrap); only an administrator removes it.</summary>
    Manual,

    /// <summary>Mapped from the OpenID Connect group claim; replaced at each sign-in through the identity provider.</summary>
    IdentityProvider,
}
