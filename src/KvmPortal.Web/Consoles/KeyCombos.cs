namespace KvmPortal.Web.Consoles;

/// <summary>A key combination the console toolbar can send: its label and the keys, pressed in order and released in reverse.</summary>
public sealed record KeyCombo(string Label, IReadOnlyList<string> Keys);

/// <summary>
/// The combinations a browser cannot pass to the guest itself (the local system takes them first). Key names are
/// those vnc-console.js knows (X keysyms and DOM codes).
/// </summary>
public static class KeyCombos
{
    public static IReadOnlyList<KeyCombo> All { get; } =
    [
        new("Ctrl+Alt+Backspace", ["Control", "Alt", "Backspace"]),
        .. Enumerable.Range(1, 12).Select(n => new KeyCombo($"Ctrl+Alt+F{n}", ["Control", "Alt", $"F{n}"])),
        new("Alt+Tab", ["Alt", "Tab"]),
        new("Alt+F4", ["Alt", "F4"]),
        new("PrintScreen", ["Print"]),
        new("Alt+PrintScreen", ["Alt", "Print"]),
        new("Super", ["Super"]),
        new("Escape", ["Escape"]),
    ];
}
