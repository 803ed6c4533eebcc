// Entry of the page bundle (scripts/bundle.mjs): defining xm-app upgrades the
// <xm-app> in index.html, which takes window.messenger from the preload.
import './components/xm-app.js';
