// The VNC console: noVNC (from npm, wwwroot/lib/novnc) talking to the dashboard's own console proxy.
import RFB from "../lib/novnc/core/rfb.js";

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
