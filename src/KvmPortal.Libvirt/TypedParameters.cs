using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;
using System.Text;

namespace KvmPortal.Libvirt;

/// <summary>Copies a virTypedParameter array into managed values.</summary>
internal static unsafe class TypedParameters
{
    private const int Int = 1;
    private const int UInt = 2;
    private const int LLong = 3;
    private const int ULLong = 4;
    public const int ULLongType = ULLong;
    public const int StringType = String;
    private const int Double = 5;
    private const int Boolean = 6;
    private const int String = 7;

    public static Dictionary<string, object> ToDictionary(VirTypedParameter* parameters, int count)
    {
        var values = new Dictionary<string, object>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            VirTypedParameter* parameter = &parameters[i];
            object? value = ToValue(parameter);
            if (value is not null)
            {
                values[FieldName(parameter)] = value;
            }
        }
        return values;
    }

    private static object? ToValue(VirTypedParameter* parameter) => parameter->Type switch
    {
        Int => parameter->Value.I,
        UInt => parameter->Value.UI,
        LLong => parameter->Value.L,
        ULLong => parameter->Value.UL,
        Double => parameter->Value.D,
        Boolean => parameter->Value.B != 0,
        String => Marshal.PtrToStringUTF8(parameter->Value.S) ?? "",
        _ => null, // a type newer than this binding
    };

    private static string FieldName(VirTypedParameter* parameter)
    {
        var field = new ReadOnlySpan<byte>(parameter->Field, VirTypedParameter.FieldLength);
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
