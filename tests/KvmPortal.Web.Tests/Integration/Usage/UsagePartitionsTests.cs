using KvmPortal.Web.Usage.Recording;
using KvmPortal.Web.Usage.Rollup;
using KvmPortal.Web.Data.Usage;

namespace KvmPortal.Web.Tests.Integration.Usage;

/// <summary>The raw tables' day partitions: creation (also over rows already in DEFAULT) and retention.</summary>
public sealed class UsagePartitionsTests(UsageDatabase database) : IClassFixture<UsageDatabase>
{
    [Fact]
    public async Task MissingDaysAreCreatedOnceAndRowsAlreadyInTheDefaultPartitionMoveIntoTheirDay()
    {
        var day = new DateOnly(2031, 3, 14);
        var host = Guid.NewGuid();
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 50)), TimeSpan.Zero);
        await WriteAsync(host, at);
        await WriteAsync(host, at.AddSeconds(20)); // the next day, which gets no partition here
        Assert.Equal("VmSamples_default", await PartitionOfAsync("VmSamples", host, at));

        await using var connection = await database.OpenAsync();
        var created = await UsagePartitions.EnsureDaysAsync(connection, day.AddDays(-1), 2, default);
        var again = await UsagePartitions.EnsureDaysAsync(connection, day.AddDays(-1), 2, default);

        Assert.Equal(4, created); // two days of two tables
        Assert.Equal(0, again);
        Assert.Equal(UsagePartitions.NameOf("VmSamples", day), await PartitionOfAsync("VmSamples", host, at));
        Assert.Equal(UsagePartitions.NameOf("HostSamples", day), await PartitionOfAsync("HostSamples", host, at));
        Assert.Equal("VmSamples_default", await PartitionOfAsync("VmSamples", host, at.AddSeconds(20)));
        Assert.Equal(2L, await database.ScalarAsync<long>("""SELECT count(*) FROM "VmSamples" WHERE "HostId" = $1""", host));
        var days = await UsagePartitions.ListAsync(connection, "VmSamples", default);
        Assert.Equal([day.AddDays(-1), day], days.Keys.Order());
    }

    [Fact]
    public async Task RetentionDropsWholeDaysOlderThanTheCutoffAndOldDefaultRows()
    {
        var host = Guid.NewGuid();
        var oldDay = new DateOnly(2020, 1, 1);
        await using var connection = await database.OpenAsync();
        await UsagePartitions.EnsureDaysAsync(connection, oldDay, 3, default);
        var inKeptDay = new DateTimeOffset(oldDay.AddDays(2).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var inDroppedDay = new DateTimeOffset(oldDay.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var inDefault = new DateTimeOffset(2019, 6, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var at in new[] { inKeptDay, inDroppedDay, inDefault })
            await WriteAsync(host, at);

        // The cutoff falls inside the middle day: only the first day ends before it.
        var dropped = await UsagePartitions.DropBeforeAsync(connection, new DateTimeOffset(oldDay.AddDays(1).ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero), default);

        Assert.Equal(2, dropped); // that day of both tables
        var days = await UsagePartitions.ListAsync(connection, "HostSamples", default);
        Assert.DoesNotContain(oldDay, days.Keys);
        Assert.Contains(oldDay.AddDays(1), days.Keys);
        Assert.Equal(1L, await database.ScalarAsync<long>("""SELECT count(*) FROM "VmSamples" WHERE "HostId" = $1""", host));
        Assert.Equal(1L, await database.ScalarAsync<long>("""SELECT count(*) FROM "HostSamples" WHERE "HostId" = $1""", host));
    }

    private async Task WriteAsync(Guid host, DateTimeOffset at)
    {
        await using var connection = await database.OpenAsync();
        var vm = new VmSampleRecord { VmUuid = Guid.NewGuid(), SampledAt = at, HostId = host, Vcpus = 1, MemoryKib = 1024 };
        var hostRow = new HostSampleRecord { HostId = host, SampledAt = at, Cpus = 1, MemoryTotalKib = 1 };
        await using var batch = UsageBatch.Create(new UsageInterval(host, at, hostRow, [new RecordedVm(vm, "vm")]));
        batch.Connection = connection;
        await batch.ExecuteNonQueryAsync();
    }

    private async Task<string> PartitionOfAsync(string table, Guid host, DateTimeOffset at) =>
        (await database.ScalarAsync<string>(
            $"""SELECT tableoid::regclass::text FROM "{table}" WHERE "HostId" = $1 AND "SampledAt" = $2 LIMIT 1""", host, at)).Trim('"');
}
