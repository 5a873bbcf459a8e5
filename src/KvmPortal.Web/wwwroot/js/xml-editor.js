// The XML editor: a transparent textarea over a highlighted copy of its text, both in one grid cell of a scrolling
// box, so they always line up and only the box scrolls. The browser keeps the text; the component is told that it
// changed (at most every 300 ms) and reads it through a stream, so a long XML is not bound by the circuit's message
// size. The tokenizer follows Components/Shared/Xml/XmlTokenizer.cs and its class names (XmlSpans.razor).
const editors = new Map();
const encoder = new TextEncoder();
const indent = "  ";

export function attach(input, highlight, text, dotnet) {
    const editor = { input, highlight, dotnet, timer: 0, frame: 0, leaveOnTab: false };
    editors.set(input, editor);
    input.value = text;
    render(editor);
    input.addEventListener("input", () => {
        // One highlight per frame however fast the keys come (a held key, a paste).
        if (!editor.frame) editor.frame = requestAnimationFrame(() => { editor.frame = 0; render(editor); });
        if (!editor.timer) editor.timer = setTimeout(() => notify(editor), 300);
    });
    input.addEventListener("blur", () => notify(editor));
    input.addEventListener("keydown", e => onKeyDown(editor, e));
}

export function setText(input, text) {
    const editor = editors.get(input);
    if (!editor) return;
    input.value = text;
    render(editor);
}

export function getText(input) {
    return encoder.encode(input.value);
}

export function detach(input) {
    const editor = editors.get(input);
    if (editor) { clearTimeout(editor.timer); cancelAnimationFrame(editor.frame); }
    editors.delete(input);
}

function notify(editor) {
    clearTimeout(editor.timer);
    editor.timer = 0;
    if (editors.has(editor.input)) editor.dotnet.invokeMethodAsync("OnTextEdited").catch(() => { });
}

function render(editor) {
    // The extra line keeps a last empty line as tall in the copy as in the textarea.
    editor.highlight.innerHTML = highlight(editor.input.value) + "\n";
}

// Tab indents (the selected lines, or at the caret), Shift+Tab outdents, Enter keeps the line's indentation.
// Escape then Tab leaves the editor, so the keyboard is never trapped. Edits go through insertText to keep undo.
function onKeyDown(editor, e) {
    const input = editor.input;
    if (e.key === "Escape") { editor.leaveOnTab = true; return; }
    if (e.key === "Tab" && editor.leaveOnTab) { editor.leaveOnTab = false; return; }
    editor.leaveOnTab = false;
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        const lineStart = input.value.lastIndexOf("\n", input.selectionStart - 1) + 1;
        const leading = /^[ \t]*/.exec(input.value.slice(lineStart, input.selectionStart))[0];
        e.preventDefault();
        insert(input, "\n" + leading);
    } else if (e.key === "Tab" && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        const { selectionStart: start, selectionEnd: end, value } = input;
        if (!e.shiftKey && !value.slice(start, end).includes("\n")) { insert(input, indent); return; }
        const from = value.lastIndexOf("\n", start - 1) + 1;
        const lines = value.slice(from, end).split("\n");
        const changed = lines.map(l => e.shiftKey ? l.replace(/^( {1,2}|\t)/, "") : indent + l).join("\n");
        input.setSelectionRange(from, end);
        insert(input, changed);
        input.setSelectionRange(from, from + changed.length);
    }
}

function insert(input, text) {
    // execCommand keeps the browser's undo history; setRangeText is the fallback where it is gone.
    if (!document.execCommand("insertText", false, text)) {
        input.setRangeText(text, input.selectionStart, input.selectionEnd, "end");
        input.dispatchEvent(new Event("input", { bubbles: true }));
    }
}

const nonAsciiNameChar = /[\p{L}\p{N}]/u;

// As XmlTokenizer.IsNameChar; ASCII is decided without a regular expression, which keeps a long XML fast.
function isNameChar(c) {
    const code = c.charCodeAt(0);
    if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 58) || c === "_" || c === "-" || c === ".";
    return nonAsciiNameChar.test(c);
}

export function highlight(xml) {
    const out = [];
    const take = (cls, from, to) => { if (to > from) out.push(`<span class="${cls}">${escape(xml.slice(from, to))}</span>`); return to; };
    const indexOrEnd = (value, from, include) => { const found = xml.indexOf(value, from); return found < 0 ? xml.length : found + include; };
    const nameEnd = i => { while (i < xml.length && isNameChar(xml[i])) i++; return i; };
    let i = 0;
    while (i < xml.length) {
        if (xml[i] !== "<") i = take("xml-text", i, indexOrEnd("<", i, 0));
        else if (xml.startsWith("<!--", i)) i = take("xml-comment", i, indexOrEnd("-->", i + 4, 3));
        else if (xml.startsWith("<![CDATA[", i)) i = take("xml-text", i, indexOrEnd("]]>", i + 9, 3));
        else if (xml[i + 1] === "?" || xml[i + 1] === "!") i = take("xml-declaration", i, indexOrEnd(">", i + 2, 1));
        else {
            i = take("xml-markup", i, i + (xml[i + 1] === "/" ? 2 : 1));
            i = take("xml-element", i, nameEnd(i));
            while (i < xml.length && xml[i] !== "<") {
                const c = xml[i];
                if (c === ">" || xml.startsWith("/>", i)) { i = take("xml-markup", i, i + (c === ">" ? 1 : 2)); break; }
                if (c === '"' || c === "'") i = take("xml-attr-value", i, indexOrEnd(c, i + 1, 1));
                else if (isNameChar(c)) i = take("xml-attr-name", i, nameEnd(i));
                else {
                    let j = i + 1;
                    while (j < xml.length && !isNameChar(xml[j]) && !"\"'<>".includes(xml[j])) j++;
                    i = take("xml-markup", i, j);
                }
            }
        }
    }
    return out.join("");
}

function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
