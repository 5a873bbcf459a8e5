using KvmPortal.Hypervisor;
using KvmPortal.Hypervisor.Storage;
using KvmPortal.Web.Access;
using KvmPortal.Web.Jobs;
using KvmPortal.Web.Localization;
using KvmPortal.Web.Resources;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;

namespace KvmPortal.Web.Hosting;

/// <summary>
/// Volume upload and download over plain HTTP, so large images never pass through the SignalR circuit. Both stream
/// in chunks between the request/response body and a libvirt stream; nothing is buffered whole. Each transfer is a
/// job of the user for as long as its request lasts: the job center shows its bytes and can cancel it. Logged-in users
/// only (the fallback policy); the upload also needs the page's antiforgery token in the RequestVerificationToken
/// header.
/// </summary>
public static class StorageEndpoints
{
    /// <summary>The largest upload accepted unless KvmPortal:MaxUploadBytes says otherwise (64 GiB).</summary>
    public const long DefaultMaxUploadBytes = 64L << 30;

    public static WebApplication MapStorageEndpoints(this WebApplication app)
    {
        var maxUpload = app.Configuration.GetValue<long?>("KvmPortal:MaxUploadBytes") ?? DefaultMaxUploadBytes;
        var group = app.MapGroup("/api/storage/{hostId:guid}/{pool}/volumes/{name}");

        group.MapPost("/upload", async (Guid hostId, string pool, string name, bool? overwrite, HttpContext context,
            IJobCenter jobs, AuditTargets targets, IAntiforgery antiforgery, IStringLocalizer<Strings> text) =>
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.Problem(text["StorageUploadForbidden"], statusCode: StatusCodes.Status400BadRequest);
            }
            if (context.Request.ContentLength is not { } length || length <= 0)
                return Results.Problem(text["StorageUploadNeedsLength"], statusCode: StatusCodes.Status411LengthRequired);
            if (length > maxUpload)
                return Results.Problem(text["StorageUploadTooLarge", Formatting(length), Formatting(maxUpload)], statusCode: StatusCodes.Status413PayloadTooLarge);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = length;
            try
            {
                var upload = await jobs.StartAsync(new JobRequest(JobKinds.VolumeUpload, targets.Storage(hostId, pool, name), $"{pool}/{name}"),
                    async job =>
                    {
                        await job.Services.GetRequiredService<IStorageOperations>().UploadAsync(hostId, pool, name, context.Request.Body,
                            (ulong)length, overwrite ?? false, JobProgressAdapter.Transfer(job.Progress), job.CancellationToken);
                        return JobOutcome.Done;
                    }, context.RequestAborted);
                await upload.Completion;
                return Results.NoContent();
            }
            catch (HypervisorException e)
            {
                return Results.Problem(ErrorMessages.Describe(text, e, text["StorageUploadOperation", name]), statusCode: StatusCodes.Status409Conflict);
            }
            catch (AccessDeniedException)
            {
                return Results.Problem(text["AccessDenied"], statusCode: StatusCodes.Status403Forbidden);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return Results.Problem(text["JobCancelledText"], statusCode: StatusCodes.Status409Conflict); // cancelled in the job center
            }
        }).DisableAntiforgery(); // validated above against the header, as the body is the file itself

        group.MapGet("/download", async (Guid hostId, string pool, string name, HttpContext context,
            IStorageOperations storage, IJobCenter jobs, AuditTargets targets, IStringLocalizer<Strings> text) =>
        {
            VolumeDownload download;
            try
            {
                download = await storage.PrepareDownloadAsync(hostId, pool, name, context.RequestAborted);
            }
            catch (HypervisorException e)
            {
                await Results.Problem(ErrorMessages.Describe(text, e, text["StorageDownloadOperation", name]), statusCode: StatusCodes.Status409Conflict)
                    .ExecuteAsync(context);
                return;
            }
            catch (AccessDeniedException)
            {
                await Results.Problem(text["AccessDenied"], statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = (long)download.LengthBytes;
            context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = download.Name }.ToString();
            try
            {
                var transfer = await jobs.StartAsync(new JobRequest(JobKinds.VolumeDownload, targets.Storage(hostId, pool, name), $"{pool}/{name}"),
                    async job =>
                    {
                        await job.Services.GetRequiredService<IStorageOperations>().DownloadAsync(hostId, pool, name, context.Response.Body,
                            JobProgressAdapter.Transfer(job.Progress), job.CancellationToken);
                        return JobOutcome.Done;
                    }, context.RequestAborted);
                await transfer.Completion;
            }
            catch (HypervisorException)
            {
                context.Abort(); // the headers are sent: a cut connection tells the browser the file is incomplete
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                context.Abort(); // cancelled in the job center: the browser sees an incomplete file
            }
        });
        return app;
    }

    private static string Formatting(long bytes) => Components.Shared.Formatting.GiBytes((ulong)bytes);
}
