using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// What blazor.web.js reads from a prerendered page to make it interactive: the server component markers
/// (<c>&lt;!--Blazor:{...}--&gt;</c>, the opening ones carry a protected descriptor) and the persisted component state.
/// </summary>
internal sealed partial record PrerenderedPage(IReadOnlyList<JsonObject> ServerMarkers, string ApplicationState)
{
    public static PrerenderedPage Parse(string html)
    {
        var markers = MarkerPattern().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(m => m["type"]?.GetValue<string>() == "server" && m.ContainsKey("descriptor"))
            .OrderBy(m => m["sequence"]!.GetValue<int>())
            .ToList();
        if (markers.Count == 0)
            throw new InvalidOperationException("The page has no interactive server component markers.");
        var state = StatePattern().Match(html) is { Success: true } match ? match.Groups[1].Value : "";
        return new PrerenderedPage(markers, state);
    }

    /// <summary>The first UpdateRootComponents batch: every marker added, numbered as the client numbers them.</summary>
    public string AddOperations(int batchId)
    {
        var operations = new JsonArray();
        for (var i = 0; i < ServerMarkers.Count; i++)
        {
            var marker = ServerMarkers[i].DeepClone().AsObject();
            marker["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker });
        }
        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString(JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex StatePattern();
}
