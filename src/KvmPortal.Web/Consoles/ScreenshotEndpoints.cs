using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Consoles.Screenshots;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Hypervisor.Vms;
using KvmPortal.Web.Access;
using KvmPortal.Web.Api;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace KvmPortal.Web.Consoles;

/// <summary>
/// GET /screenshots/{hostId}/{uuid}: a running VM's screen as a PNG for the pages' thumbnails (cookie authentication
/// as the pages; the permission to view the VM is checked on every request). Refusals are problem details: 403
/// without the grant, 404 for an unknown VM, 409 when the VM is not running, 503 when its host is offline.
/// </summary>
public static class ScreenshotEndpoints
{
    public const string PathPrefix = "/screenshots";

    public static string PathOf(VmKey vm) => $"{PathPrefix}/{vm.HostId}/{vm.Uuid}";

    public static IEndpointRouteBuilder MapScreenshotEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(PathPrefix + "/{hostId:guid}/{uuid:guid}", ServeAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ServeAsync(Guid hostId, Guid uuid, bool? download, IVmScreenshots screenshots,
        IInventory inventory, IStringLocalizer<Strings> text, CancellationToken cancellationToken)
    {
        var vm = new VmKey(hostId, uuid);
        var name = inventory.Current.Vms.TryGetValue(vm, out var info) ? info.Name : uuid.ToString();
        try
        {
            return Png(await screenshots.CaptureAsync(vm, cancellationToken), download == true ? name : null);
        }
        catch (AccessDeniedException)
        {
            return Results.Problem(text["AccessDenied"], statusCode: StatusCodes.Status403Forbidden);
        }
        catch (HypervisorException e)
        {
            return Results.Problem(ErrorMessages.Describe(text, e, text["ScreenshotOperation", name]), statusCode: ApiProblems.StatusOf(e),
                extensions: new Dictionary<string, object?> { ["kind"] = e.Kind?.ToString() });
        }
    }

    /// <summary>The PNG, cacheable by the browser only for as long as the server keeps it; a file name makes it a download.</summary>
    public static IResult Png(VmScreenshot screenshot, string? downloadName = null) => new PngResult(screenshot, downloadName);

    private sealed class PngResult(VmScreenshot screenshot, string? downloadName) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.GetTypedHeaders();
            headers.CacheControl = new CacheControlHeaderValue { Private = true, MaxAge = VmScreens.ScreenshotFreshFor };
            headers.LastModified = screenshot.TakenAt;
            if (downloadName is not null)
                headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = downloadName + ".png" };
            return Results.Bytes(screenshot.Png, PngEncoder.MimeType).ExecuteAsync(context);
        }
    }
}
