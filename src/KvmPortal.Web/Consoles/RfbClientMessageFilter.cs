using System.Buffers;
using System.Buffers.Binary;

namespace KvmPortal.Web.Consoles;

/// <summary>What became of a chunk of client-to-server RFB traffic.</summary>
public enum RfbFilterResult
{
    /// <summary>Every complete message was forwarded or dropped as the mode requires; a partial one is kept.</summary>
    Ok,
    /// <summary>The client sent something that is not RFB (unknown type, absurd length): close the session.</summary>
    Malformed,
}

/// <summary>
/// Parses the client-to-server RFB message stream after the handshake (RFC 6143 section 7.5 and the extensions
/// noVNC and QEMU speak) and, for a view-only session, drops every message that would reach the guest: key and
/// pointer events, clipboard text and QEMU's extended key events. The proxy applies it, not the page, so a
/// crafted client gains nothing. Messages may arrive split across chunks or several in one chunk.
/// </summary>
public sealed class RfbClientMessageFilter(bool viewOnly)
{
    /// <summary>Larger messages than this are refused: clipboard text of a megabyte is not a console session.</summary>
    public const int MaxMessageLength = 1 << 20;

    private readonly ArrayBufferWriter<byte> _partial = new();

    /// <summary>Messages dropped so far because the session is view-only.</summary>
    public long DroppedMessages { get; private set; }

    public RfbFilterResult Process(ReadOnlySpan<byte> input, IBufferWriter<byte> forward)
    {
        // Complete the message left over from the previous chunk, a byte range at a time.
        while (_partial.WrittenCount > 0)
        {
            var (length, malformed) = MessageLength(_partial.WrittenSpan);
            if (malformed) return RfbFilterResult.Malformed;
            var wanted = (length ?? _partial.WrittenCount + 1) - _partial.WrittenCount;
            if (input.Length < wanted)
            {
                _partial.Write(input);
                return RfbFilterResult.Ok;
            }
            _partial.Write(input[..wanted]);
            input = input[wanted..];
            if (length is not null)
            {
                Emit(_partial.WrittenSpan, forward);
                _partial.ResetWrittenCount();
            }
        }

        while (!input.IsEmpty)
        {
            var (length, malformed) = MessageLength(input);
            if (malformed) return RfbFilterResult.Malformed;
            if (length is null || input.Length < length)
            {
                _partial.Write(input);
                return RfbFilterResult.Ok;
            }
            Emit(input[..length.Value], forward);
            input = input[length.Value..];
        }
        return RfbFilterResult.Ok;
    }

    private void Emit(ReadOnlySpan<byte> message, IBufferWriter<byte> forward)
    {
        if (viewOnly && ReachesTheGuest(message))
        {
            DroppedMessages++;
            return;
        }
        forward.Write(message);
    }

    private static bool ReachesTheGuest(ReadOnlySpan<byte> message) => message[0] switch
    {
        KeyEvent or PointerEvent or ClientCutText => true,
        QemuClientMessage => message[1] == QemuExtendedKeyEvent,
        _ => false,
    };

    private const byte SetPixelFormat = 0, SetEncodings = 2, FramebufferUpdateRequest = 3, KeyEvent = 4,
        PointerEvent = 5, ClientCutText = 6, EnableContinuousUpdates = 150, ClientFence = 248, Xvp = 250,
        SetDesktopSize = 251, QemuClientMessage = 255;

    private const byte QemuExtendedKeyEvent = 0, QemuAudio = 1;

    /// <summary>
    /// The whole length of the message that starts <paramref name="m"/>, or null while its header is incomplete;
    /// malformed when the type is unknown or the declared length is absurd.
    /// </summary>
    private static (int? Length, bool Malformed) MessageLength(ReadOnlySpan<byte> m)
    {
        static (int?, bool) Fixed(int length) => (length, false);
        static (int?, bool) NeedMore() => (null, false);
        static (int?, bool) Checked(long length) => length <= MaxMessageLength ? ((int)length, false) : (null, true);

        return m[0] switch
        {
            SetPixelFormat => Fixed(20),
            SetEncodings => m.Length < 4 ? NeedMore() : Checked(4 + 4L * BinaryPrimitives.ReadUInt16BigEndian(m[2..])),
            FramebufferUpdateRequest => Fixed(10),
            KeyEvent => Fixed(8),
            PointerEvent => Fixed(6),
            // A negative length announces the Extended Clipboard format with |length| bytes of payload.
            ClientCutText => m.Length < 8 ? NeedMore() : Checked(8 + Math.Abs((long)BinaryPrimitives.ReadInt32BigEndian(m[4..]))),
            EnableContinuousUpdates => Fixed(10),
            ClientFence => m.Length < 9 ? NeedMore() : m[8] <= 64 ? Fixed(9 + m[8]) : (null, true),
            Xvp => Fixed(4),
            SetDesktopSize => m.Length < 7 ? NeedMore() : Fixed(8 + 16 * m[6]),
            QemuClientMessage => m.Length < 2 ? NeedMore() : m[1] switch
            {
                QemuExtendedKeyEvent => Fixed(12),
                QemuAudio => m.Length < 4 ? NeedMore()
                    : BinaryPrimitives.ReadUInt16BigEndian(m[2..]) switch { 0 or 1 => Fixed(4), 2 => Fixed(10), _ => (null, true) },
                _ => (null, true),
            },
            _ => (null, true),
        };
    }
}
