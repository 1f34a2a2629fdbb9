/**
 * The built app in headless Debian Chromium (system chromedriver) against the real web-ui server with no backend
 * running: every page must show a clear error state, and the sign-in waits out throttling.
 */
package ch.cern.alice.lakehouse.webui.browser;
