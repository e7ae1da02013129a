// The ALTCHA widget (vendor/altcha, external build: no inline styles, no bundled workers) gets
// its texts in the page language and its proof-of-work worker from our own static files.
const algorithms = ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"];

for (const widget of document.querySelectorAll("altcha-widget[data-worker]")) {
  const registry = globalThis.$altcha;
  if (!registry) break;
  const workerUrl = widget.dataset.worker;
  for (const algorithm of algorithms) {
    registry.algorithms.set(algorithm, () => new Worker(workerUrl));
  }
  const language = widget.getAttribute("language");
  if (language && widget.dataset.strings) {
    try {
      registry.i18n.set(language, JSON.parse(widget.dataset.strings));
    } catch (error) {
      console.warn("altcha: could not read the widget texts", error);
    }
  }
}
