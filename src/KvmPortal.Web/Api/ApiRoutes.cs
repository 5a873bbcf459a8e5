namespace KvmPortal.Web.Api;

public static class ApiRoutes
{
    public const string Base = "/api/v1";
    public const string InventoryHub = Base + "/hubs/inventory";
    public const string OpenApiDocument = "/openapi/v1.json";

    /// <summary>Bearer tokens only: a cookie never authenticates an API call, so the API needs no CSRF protection.</summary>
    public const string Policy = "KvmPortalApi";
}
