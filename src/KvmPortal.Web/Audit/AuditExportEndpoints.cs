using System.Text;
using KvmPortal.Web.Access;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Audit;

/// <summary>GET /audit/export.csv?actor=&amp;target=&amp;action=&amp;result=&amp;from=&amp;to=: the filtered audit log, streamed as UTF-8 CSV.</summary>
public static class AuditExportEndpoints
{
    public const string ExportPath = "/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(PortalActionAuthorizationHandler.ViewAuditPolicy);
        return app;
    }

    private static async Task ExportAsync(HttpContext context, AuditQueries queries, IStringLocalizer<Strings> text, TimeProvider clock)
    {
        if (!AuditFilter.TryParse(context.Request.Query, out var filter, out var problem))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(problem!, context.RequestAborted);
            return;
        }
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        // With a byte order mark, so spreadsheets read non-ASCII names (Chinese user names, say) as UTF-8.
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024);
        await AuditCsv.WriteAsync(queries.StreamAsync(filter, context.RequestAborted), AuditCsv.HeaderIn(text), writer, context.RequestAborted);
    }
}
