using System.Globalization;
using System.Text;
using KvmPortal.Web.Access;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Usage;

/// <summary>
/// GET /usage/report.csv?from=&amp;to=: the usage report of what the signed-in user may see, as UTF-8 CSV. Cookie
/// authentication as the pages; the grants are checked on every request (403 without any usage permission).
/// </summary>
public static class UsageExportEndpoints
{
    public const string ExportPath = "/usage/report.csv";

    public static IEndpointRouteBuilder MapUsageExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization();
        return app;
    }

    private static async Task ExportAsync(HttpContext context, UsageReports reports, IStringLocalizer<Strings> text, TimeProvider clock)
    {
        if (!await reports.MayViewReportsAsync(context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (!UsageRange.TryParse(context.Request.Query["from"], context.Request.Query["to"], clock.GetUtcNow(), out var from, out var to, out var problem))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(problem!, context.RequestAborted);
            return;
        }
        UsageReport report;
        try
        {
            report = await reports.ReportAsync(from, to, context.RequestAborted);
        }
        catch (AccessDeniedException) // the grant was removed since the check above
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"usage-{Day(from)}-{Day(to)}.csv\"";
        // With a byte order mark, so spreadsheets read non-ASCII names (Chinese team names, say) as UTF-8.
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024);
        await UsageCsv.WriteAsync(report, UsageCsv.HeaderIn(text), writer, context.RequestAborted);
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
