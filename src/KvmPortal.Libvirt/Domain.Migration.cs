using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;
using System.Text;

namespace KvmPortal.Libvirt;

/// <summary>Migration and jobs of a domain.</summary>
public sealed unsafe partial class Domain
{
    /// <summary>
    /// Migrates the domain to <paramref name="destination"/> (virDomainMigrate3, driven by this client: not peer to
    /// peer unless the flags say so). Blocks until the migration ends; <see cref="AbortJob"/> from another thread
    /// cancels it. Returns the domain on the destination.
    /// </summary>
    public Domain Migrate(Connection destination, MigrationParameters parameters, MigrateFlags flags)
    {
        var fields = new List<(string Name, int Type, ulong Number, string? Text)>();
        if (parameters.Uri is { } uri) fields.Add(("migrate_uri", TypedParameters.StringType, 0, uri));
        if (parameters.BandwidthMiBps is { } bandwidth) fields.Add(("bandwidth", TypedParameters.ULLongType, bandwidth, null));

        var native = stackalloc VirTypedParameter[Math.Max(fields.Count, 1)];
        var strings = new List<nint>();
        try
        {
            for (int i = 0; i < fields.Count; i++)
            {
                var (name, type, number, text) = fields[i];
                native[i] = default;
                var bytes = Encoding.UTF8.GetBytes(name);
                bytes.AsSpan().CopyTo(new Span<byte>(native[i].Field, VirTypedParameter.FieldLength - 1));
                native[i].Type = type;
                if (text is null)
                {
                    native[i].Value.UL = number;
                }
                else
                {
                    nint s = Marshal.StringToCoTaskMemUTF8(text);
                    strings.Add(s);
                    native[i].Value.S = s;
                }
            }
            DomainHandle migrated = NativeMethods.virDomainMigrate3(_handle, destination.Handle, native, (uint)fields.Count, (uint)flags);
            if (migrated.IsInvalid)
            {
                var error = LibvirtException.FromLastError();
                migrated.Dispose();
                throw error;
            }
            return new Domain(destination, migrated);
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    /// <summary>The domain's current job (virDomainGetJobStats); type <see cref="DomainJobType.None"/> when there is none.</summary>
    public DomainJobStats GetJobStats()
    {
        Check(NativeMethods.virDomainGetJobStats(_handle, out int type, out VirTypedParameter* parameters, out int count, 0));
        try
        {
            return new DomainJobStats((DomainJobType)type, TypedParameters.ToDictionary(parameters, count));
        }
        finally
        {
            NativeMethods.virTypedParamsFree(parameters, count);
        }
    }
}
