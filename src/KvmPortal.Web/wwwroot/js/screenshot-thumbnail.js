// A VM's screenshot thumbnail: reloaded every few seconds, but only while the page is shown and the image is on
// screen, and never while the previous picture is still loading. The server shares one capture among all viewers.

// Returns null when the image is no longer on the page: Blazor hands over a removed element as null (e.g. the tab
// was left before this call arrived), and there is nothing to watch.
export function watch(image, url, intervalMs) {
    if (!image) return null;
    let active = false;
    let onScreen = false;
    let loading = false;
    let timer = null;

    const wanted = () => active && onScreen && document.visibilityState === "visible";

    const load = () => {
        timer = null;
        if (!wanted() || loading) return;
        loading = true;
        const next = new URL(url, document.baseURI);
        next.searchParams.set("t", Date.now().toString());
        image.src = next.href;
    };

    const schedule = delay => {
        if (timer !== null) clearTimeout(timer);
        timer = wanted() ? setTimeout(load, delay) : null;
    };

    const settled = failed => {
        loading = false;
        image.classList.toggle("vm-screenshot-failed", failed);
        schedule(intervalMs);
    };
    const onLoad = () => settled(false);
    const onError = () => settled(true);
    image.addEventListener("load", onLoad);
    image.addEventListener("error", onError);

    const observer = new IntersectionObserver(entries => {
        onScreen = entries.some(e => e.isIntersecting);
        schedule(0);
    });
    observer.observe(image);
    const onVisibility = () => schedule(0);
    document.addEventListener("visibilitychange", onVisibility);

    return {
        setActive: value => {
            active = value;
            schedule(0);
        },
        dispose: () => {
            active = false;
            if (timer !== null) clearTimeout(timer);
            observer.disconnect();
            document.removeEventListener("visibilitychange", onVisibility);
            image.removeEventListener("load", onLoad);
            image.removeEventListener("error", onError);
        },
    };
}
