using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Web.Api;

/// <summary>
/// JSON of the API: enums as names, nullable annotations and required constructor parameters respected (a missing
/// field is a 400, not a null deep inside), and a VM's install source told by its "kind".
/// </summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(InstallSourceKinds);
    }

    private static void InstallSourceKinds(JsonTypeInfo type)
    {
        if (type.Type != typeof(InstallSource))
            return;
        type.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "kind",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            DerivedTypes =
            {
                new JsonDerivedType(typeof(NoInstallSource), "none"),
                new JsonDerivedType(typeof(CdromInstallSource), "cdrom"),
                new JsonDerivedType(typeof(KernelBootSource), "kernel"),
                new JsonDerivedType(typeof(PxeInstallSource), "pxe"),
                new JsonDerivedType(typeof(ImportDiskSource), "import"),
                new JsonDerivedType(typeof(LinkedCloneSource), "linkedClone"),
            },
        };
    }
}
