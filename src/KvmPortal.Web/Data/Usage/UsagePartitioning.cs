namespace KvmPortal.Web.Data.Usage;

/// <summary>
/// The raw sample tables are range-partitioned by day on "SampledAt" (see UsageConfigurations for why). EF Core
/// cannot create a partitioned table, so the migration lets EF create the plain table, then rebuilds it as a
/// partitioned one with the same columns. Day partitions are named "{table}_yyyyMMdd"; rows outside every day
/// partition land in "{table}_default", so an insert never fails for want of a partition.
/// </summary>
public static class UsagePartitioning
{
    public static readonly string[] RawTables = ["VmSamples", "HostSamples"];

    public static string KeyOf(string table) => table == "VmSamples" ? "\"VmUuid\", \"SampledAt\"" : "\"HostId\", \"SampledAt\"";

    /// <summary>SQL that turns the raw tables EF created into partitioned ones (the migration runs it).</summary>
    public static string PartitionRawTables => string.Concat(RawTables.Select(table => $"""
        ALTER TABLE "{table}" RENAME TO "{table}_unpartitioned";
        CREATE TABLE "{table}" (LIKE "{table}_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("SampledAt");
        DROP TABLE "{table}_unpartitioned";
        ALTER TABLE "{table}" ADD CONSTRAINT "PK_{table}" PRIMARY KEY ({KeyOf(table)});
        CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT;

        """));
}
