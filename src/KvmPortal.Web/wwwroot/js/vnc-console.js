// The VNC console: noVNC (from npm, wwwroot/lib/novnc) talking to the dashboard's own console proxy.
import RFB from "../lib/novnc/core/rfb.js";

// The keys the toolbar's combinations are made of: X keysym and DOM code, as noVNC sends them.
const keys = {
    Control: [0xffe3, "ControlLeft"],
    Alt: [0xffe9, "AltLeft"],
    Super: [0xffeb, "MetaLeft"],
    Backspace: [0xff08, "Backspace"],
    Tab: [0xff09, "Tab"],
    Escape: [0xff1b, "Escape"],
    Print: [0xff61, "PrintScreen"],
    ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`F${i + 1}`, [0xffbe + i, `F${i + 1}`]])),
};

export function connect(screen, proxyPath, ticket, viewOnly, page) {
    const url = new URL(proxyPath, document.baseURI);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket);

    const rfb = new RFB(screen, url.href, { wsProtocols: ["binary"] });
    rfb.viewOnly = viewOnly;
    rfb.scaleViewport = true;
    rfb.background = "#000";
    rfb.addEventListener("connect", () => page.invokeMethodAsync("OnConnected"));
    rfb.addEventListener("disconnect", e => page.invokeMethodAsync("OnDisconnected", e.detail.clean));

    return {
        disconnect: () => rfb.disconnect(),
        sendCtrlAltDel: () => rfb.sendCtrlAltDel(),
        // Presses the keys in order, then releases them in reverse; unknown names send nothing at all.
        sendKeys: names => {
            const combo = names.map(name => keys[name]);
            if (combo.some(key => key === undefined)) return;
            combo.forEach(([keysym, code]) => rfb.sendKey(keysym, code, true));
            [...combo].reverse().forEach(([keysym, code]) => rfb.sendKey(keysym, code, false));
        },
        setScaling: scale => { rfb.scaleViewport = scale; },
        fullscreen: () => screen.requestFullscreen?.(),
        screenshot: name => {
            const link = document.createElement("a");
            link.href = rfb.toDataURL("image/png");
            link.download = name;
            link.click();
        },
    };
}
