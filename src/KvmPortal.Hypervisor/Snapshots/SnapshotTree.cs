namespace KvmPortal.Hypervisor.Snapshots;

/// <summary>Arranges a VM's snapshots as a tree by their parents, oldest first among siblings.</summary>
public static class SnapshotTree
{
    public static IReadOnlyList<SnapshotNode> Build(IReadOnlyList<SnapshotInfo> snapshots)
    {
        var names = snapshots.Select(s => s.Name).ToHashSet();
        var byParent = snapshots.OrderBy(s => s.CreatedAt).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToLookup(s => s.Parent is { } parent && names.Contains(parent) ? parent : null);
        return Children(byParent, null);
    }

    private static List<SnapshotNode> Children(ILookup<string?, SnapshotInfo> byParent, string? parent) =>
        byParent[parent].Select(s => new SnapshotNode(s, Children(byParent, s.Name))).ToList();
}
