using Npgsql;

namespace KvmPortal.Web.Usage.Recording;

/// <summary>
/// One interval of one host as a single NpgsqlBatch: the VM rows, the host row and the UsageVms upsert, sent in one
/// round trip. The VM columns travel as arrays and are expanded by unnest, so 1,000 VMs are one statement, not 1,000.
/// A VM's directory row is rewritten only when its host, name or team changed or its last-seen time is a minute old:
/// rewriting 1,000 unchanged rows every 10 s would cost more than the samples themselves (and leave dead rows behind).
/// Without an explicit transaction PostgreSQL runs a batch as one implicit transaction: all of it lands or none.
/// </summary>
public static class UsageBatch
{
    private const string InsertVmSamples = """
        INSERT INTO "VmSamples" ("VmUuid", "SampledAt", "HostId", "TeamId", "IntervalSeconds", "CpuTimeNs", "Vcpus",
            "MemoryKib", "MemoryUsedKib", "DiskReadBytes", "DiskWriteBytes", "DiskReadRequests", "DiskWriteRequests",
            "NetRxBytes", "NetTxBytes", "DiskCapacityBytes", "DiskAllocationBytes")
        SELECT v.uuid, $1, $2, v.team, v.interval, v.cpu, v.vcpus, v.mem, v.used, v.rd, v.wr, v.rdreq, v.wrreq,
            v.rx, v.tx, v.cap, v.alloc
        FROM unnest($3::uuid[], $4::uuid[], $5::float8[], $6::int8[], $7::int4[], $8::int8[], $9::int8[], $10::int8[],
            $11::int8[], $12::int8[], $13::int8[], $14::int8[], $15::int8[], $16::int8[], $17::int8[])
            AS v(uuid, team, interval, cpu, vcpus, mem, used, rd, wr, rdreq, wrreq, rx, tx, cap, alloc)
        ON CONFLICT DO NOTHING
        """;

    private const string InsertHostSample = """
        INSERT INTO "HostSamples" ("HostId", "SampledAt", "IntervalSeconds", "Cpus", "CpuBusyNs", "CpuTotalNs",
            "MemoryTotalKib", "MemoryUsedKib")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT DO NOTHING
        """;

    private const string UpsertVms = """
        INSERT INTO "UsageVms" ("VmUuid", "HostId", "Name", "TeamId", "FirstSeenAt", "LastSeenAt")
        SELECT v.uuid, $1, v.name, v.team, $2, $2
        FROM unnest($3::uuid[], $4::text[], $5::uuid[]) AS v(uuid, name, team)
        ON CONFLICT ("VmUuid") DO UPDATE SET "HostId" = EXCLUDED."HostId", "Name" = EXCLUDED."Name",
            "TeamId" = EXCLUDED."TeamId", "LastSeenAt" = EXCLUDED."LastSeenAt"
        WHERE "UsageVms"."LastSeenAt" < EXCLUDED."LastSeenAt" - interval '1 minute'
            OR ("UsageVms"."HostId", "UsageVms"."Name", "UsageVms"."TeamId") IS DISTINCT FROM (EXCLUDED."HostId", EXCLUDED."Name", EXCLUDED."TeamId")
        """;

    public static NpgsqlBatch Create(UsageInterval interval)
    {
        var batch = new NpgsqlBatch();
        var at = interval.SampledAt.ToUniversalTime();
        if (interval.Vms.Count > 0)
        {
            var vms = interval.Vms.Select(v => v.Sample).ToArray();
            batch.BatchCommands.Add(Command(InsertVmSamples,
                Value(at), Value(interval.HostId),
                Array(vms, v => v.VmUuid), Array(vms, v => v.TeamId), Array(vms, v => v.IntervalSeconds),
                Array(vms, v => v.CpuTimeNs), Array(vms, v => v.Vcpus), Array(vms, v => v.MemoryKib),
                Array(vms, v => v.MemoryUsedKib), Array(vms, v => v.DiskReadBytes), Array(vms, v => v.DiskWriteBytes),
                Array(vms, v => v.DiskReadRequests), Array(vms, v => v.DiskWriteRequests), Array(vms, v => v.NetRxBytes),
                Array(vms, v => v.NetTxBytes), Array(vms, v => v.DiskCapacityBytes), Array(vms, v => v.DiskAllocationBytes)));
            batch.BatchCommands.Add(Command(UpsertVms,
                Value(interval.HostId), Value(at),
                Array(interval.Vms, v => v.Sample.VmUuid), Array(interval.Vms, v => Truncate(v.Name)),
                Array(interval.Vms, v => v.Sample.TeamId)));
        }
        if (interval.Host is { } host)
        {
            batch.BatchCommands.Add(Command(InsertHostSample,
                Value(host.HostId), Value(at), Value(host.IntervalSeconds), Value(host.Cpus), Value(host.CpuBusyNs),
                Value(host.CpuTotalNs), Value(host.MemoryTotalKib), Value(host.MemoryUsedKib)));
        }
        return batch;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Value<T>(T value) => new NpgsqlParameter<T> { TypedValue = value };

    private static NpgsqlParameter Array<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> column) =>
        new NpgsqlParameter<T[]> { TypedValue = rows.Select(column).ToArray() };

    private static string Truncate(string name) =>
        name.Length <= Data.Usage.UsageVmRecord.NameMaxLength ? name : name[..Data.Usage.UsageVmRecord.NameMaxLength];
}
