/**
 * web-ui: serves the single-page app (built from web-ui/frontend) and proxies the services' APIs under one origin.
 * This package holds the Spring Boot application class and the caching of the app's hashed static assets.
 */
package ch.cern.alice.lakehouse.webui;
