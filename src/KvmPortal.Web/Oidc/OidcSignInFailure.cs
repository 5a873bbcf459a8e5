namespace KvmPortal.Web.Oidc;

/// <summary>Why a sign-in through the identity provider ended on the login page; each has its message there.</summary>
public enum OidcSignInFailure
{
    /// <summary>The provider's answer did not verify (issuer, signature, nonce, state...), was an error, or expired.</summary>
    Refused,

    /// <summary>A local account already has the provider's user name; accounts are never joined by name.</summary>
    NameTaken,

    /// <summary>Identity refused to create the account (e.g. characters a user name may not have).</summary>
    AccountNotCreated,

    LockedOut,

    /// <summary>The sign-in could not be audited, so it was not done.</summary>
    AuditFailed,
}
