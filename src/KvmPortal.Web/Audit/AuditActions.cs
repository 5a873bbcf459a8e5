namespace KvmPortal.Web.Audit;

/// <summary>The action names this branch writes; operation decorators add their own (vm.start, network.create...).</summary>
public static class AuditActions
{
    public const string SignIn = "account.signin";
    public const string SignOut = "account.signout";
    public const string IdentityProviderGrantSync = "user.grant.sync";
    public const string ConsoleSession = "console.session";
    public const string ConsoleOpen = "console.open";
    public const string ApiTokenCreate = "apitoken.create";
    public const string ApiTokenRevoke = "apitoken.revoke";
}
