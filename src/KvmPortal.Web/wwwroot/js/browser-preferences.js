// Choices this browser remembers for its user (localStorage), e.g. whether the VM list shows screens. Nothing here
// is security-relevant; a browser that keeps no storage simply forgets.

export function get(key) {
    try {
        return localStorage.getItem(key);
    } catch {
        return null;
    }
}

export function set(key, value) {
    try {
        localStorage.setItem(key, value);
    } catch {
        // storage disabled or full: the choice lasts for this page only
    }
}
