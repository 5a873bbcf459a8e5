// The serial console: xterm.js (from npm, wwwroot/lib/xterm) talking to the dashboard's serial console proxy.
import { Terminal } from "../lib/xterm/xterm.mjs";
import { FitAddon } from "../lib/xterm/addon-fit.mjs";

// One terminal per page; connections come and go (reconnect, another device) under it.
export function createTerminal(element, viewOnly) {
    const terminal = new Terminal({ convertEol: false, cursorBlink: !viewOnly, disableStdin: viewOnly, scrollback: 5000 });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    fit.fit();
    const onResize = () => fit.fit();
    window.addEventListener("resize", onResize);

    let socket = null;
    let input = null;
    const encoder = new TextEncoder();

    const disconnect = () => {
        input?.dispose();
        input = null;
        if (socket) {
            socket.onclose = null;
            socket.close();
            socket = null;
        }
    };

    return {
        connect: (proxyPath, ticket, device, page) => {
            disconnect();
            const url = new URL(proxyPath, document.baseURI);
            url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
            url.searchParams.set("ticket", ticket);
            if (device) url.searchParams.set("device", device);

            const current = new WebSocket(url.href, ["binary"]);
            current.binaryType = "arraybuffer";
            let opened = false;
            current.onopen = () => {
                opened = true;
                page.invokeMethodAsync("OnConnected");
                terminal.focus();
            };
            current.onmessage = e => terminal.write(new Uint8Array(e.data));
            current.onclose = () => {
                if (socket === current) socket = null;
                page.invokeMethodAsync("OnDisconnected", opened);
            };
            // The proxy drops a view-only session's input anyway; the page just does not send it.
            if (!viewOnly) {
                input = terminal.onData(data => {
                    if (current.readyState === WebSocket.OPEN) current.send(encoder.encode(data));
                });
            }
            socket = current;
        },
        disconnect,
        dispose: () => {
            disconnect();
            window.removeEventListener("resize", onResize);
            terminal.dispose();
        },
    };
}
