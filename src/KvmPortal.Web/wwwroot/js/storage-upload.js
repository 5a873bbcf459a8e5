// Uploads the file chosen in an <input type=file> straight to the storage upload endpoint with XMLHttpRequest, so
// the bytes never pass through the Blazor circuit, and reports progress to the .NET component.
const uploads = new Map();

export function start(id, inputId, url, token, dotnet) {
    const input = document.getElementById(inputId);
    const file = input && input.files && input.files[0];
    if (!file) return false;
    const xhr = new XMLHttpRequest();
    uploads.set(id, xhr);
    xhr.open("POST", url);
    xhr.setRequestHeader("RequestVerificationToken", token);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    let last = 0;
    xhr.upload.onprogress = e => {
        const now = Date.now();
        if (now - last < 200 && e.loaded < e.total) return;
        last = now;
        dotnet.invokeMethodAsync("OnUploadProgress", e.loaded, e.total);
    };
    xhr.onload = () => {
        uploads.delete(id);
        let detail = "";
        try { detail = JSON.parse(xhr.responseText).detail || ""; } catch { detail = xhr.responseText || ""; }
        dotnet.invokeMethodAsync("OnUploadDone", xhr.status >= 200 && xhr.status < 300, detail);
    };
    xhr.onerror = () => { uploads.delete(id); dotnet.invokeMethodAsync("OnUploadDone", false, ""); };
    xhr.onabort = () => { uploads.delete(id); dotnet.invokeMethodAsync("OnUploadDone", false, "cancelled"); };
    xhr.send(file);
    return true;
}

export function fileInfo(inputId) {
    const input = document.getElementById(inputId);
    const file = input && input.files && input.files[0];
    return file ? { name: file.name, size: file.size } : null;
}

export function cancel(id) {
    const xhr = uploads.get(id);
    if (xhr) xhr.abort();
}
