using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// One browser tab on a Blazor Server page without the browser: GETs the prerendered page, connects to /_blazor
/// with the sign-in cookie and does what blazor.web.js does for an interactive server root (StartCircuit,
/// UpdateRootComponents with the page's markers, acknowledges every render batch, answers JS interop calls as a
/// browser with MudBlazor's script would, or with a fresh object reference where one is expected, e.g. an imported
/// module). It applies no DOM; it can wait for the next render batch that contains some text, and shows the caller
/// every JS call it answers.
/// </summary>
internal sealed class HeadlessCircuit : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly TaskCompletionSource _rootsAttached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string, string>? _onJsCall;
    private Watch? _watch;
    private long _nextJsObjectId;

    private HeadlessCircuit(HubConnection connection, Action<string, string>? onJsCall)
    {
        _connection = connection;
        _onJsCall = onJsCall;
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        // Since .NET 10 the server also sends the call type (invoke, new, get or set a property): six arguments.
        // With a handler for five the SignalR client drops every call unanswered, and the server's awaits hang.
        _connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJsAsync);
        _connection.On<long>("JS.EndUpdateRootComponents", _ => _rootsAttached.TrySetResult());
        _connection.On<string>("JS.Error", error => Fail(new InvalidOperationException("The circuit reported: " + error)));
        _connection.Closed += error =>
        {
            Fail(new InvalidOperationException("The circuit's connection closed.", error));
            return Task.CompletedTask;
        };
    }

    public long RenderBatches { get; private set; }

    /// <summary>Why the circuit stopped working (its connection closed, or the server reported an error), if it did.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The identifiers of the JS interop calls the server made, in order.</summary>
    public List<string> JsCalls { get; } = [];

    /// <param name="onJsCall">Sees each JS interop call's identifier and JSON arguments (e.g. a console ticket handed to its script).</param>
    public static async Task<HeadlessCircuit> OpenAsync(HttpClient browser, string baseUrl, string path, string cookie, CancellationToken cancellationToken,
        Action<string, string>? onJsCall = null)
    {
        var page = PrerenderedPage.Parse(await browser.GetStringAsync(path, cancellationToken));
        var builder = new HubConnectionBuilder()
            .WithUrl(baseUrl + "/_blazor", HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.Headers["Cookie"] = cookie;
            });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var circuit = new HeadlessCircuit(builder.Build(), onJsCall);
        await circuit._connection.StartAsync(cancellationToken);
        var secret = await circuit._connection.InvokeAsync<string?>("StartCircuit", baseUrl + "/", baseUrl + path, "[]", page.ApplicationState, cancellationToken);
        if (string.IsNullOrEmpty(secret))
            throw new InvalidOperationException("The server refused to start the circuit.");
        await circuit._connection.SendAsync("UpdateRootComponents", page.AddOperations(batchId: 1), page.ApplicationState, cancellationToken);
        await Task.WhenAll(circuit._rootsAttached.Task, circuit._firstBatch.Task).WaitAsync(cancellationToken);
        return circuit;
    }

    /// <summary>Completes with <see cref="Stopwatch.GetTimestamp"/> at the first render batch from now on that contains <paramref name="text"/>.</summary>
    public Task<long> NextBatchContaining(byte[] text)
    {
        var watch = new Watch(text);
        Volatile.Write(ref _watch, watch);
        return watch.Seen.Task;
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        var received = Stopwatch.GetTimestamp();
        RenderBatches++;
        if (Volatile.Read(ref _watch) is { } watch && batch.AsSpan().IndexOf(watch.Text) >= 0)
            watch.Seen.TrySetResult(received);
        await _connection.SendAsync("OnRenderCompleted", batchId, null);
        _firstBatch.TrySetResult();
    }

    private async Task OnBeginInvokeJsAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        _onJsCall?.Invoke(identifier, argsJson);
        lock (JsCalls) JsCalls.Add(identifier);
        // Handle 0 is fire and forget; otherwise the server awaits [handle, succeeded, result].
        if (asyncHandle == 0) return;
        var result = resultType == JsObjectReferenceResult
            ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextJsObjectId)}}}"
            : BrowserAnswer(identifier);
        await _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle},true,{result}]");
    }

    /// <summary>JSCallResultType.JSObjectReference: the caller expects an IJSObjectReference.</summary>
    private const int JsObjectReferenceResult = 1;

    /// <summary>
    /// What a browser with blazor.web.js and MudBlazor's script loaded answers to the calls the pages make on first
    /// render; everything else (void calls, a title that was not there) is null.
    /// </summary>
    private static string BrowserAnswer(string identifier) => identifier switch
    {
        "window.hasOwnProperty" => "true",
        "mudpopoverHelper.countProviders" => "1",
        "mudElementRef.getBoundingClientRect" => """{"left":0,"top":0,"right":0,"bottom":0,"width":0,"height":0,"x":0,"y":0,"windowHeight":900,"windowWidth":1400,"scrollX":0,"scrollY":0}""",
        _ => "null",
    };

    private void Fail(Exception error)
    {
        Failure ??= error;
        _rootsAttached.TrySetException(error);
        _firstBatch.TrySetException(error);
        Volatile.Read(ref _watch)?.Seen.TrySetException(error);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private sealed record Watch(byte[] Text)
    {
        public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
