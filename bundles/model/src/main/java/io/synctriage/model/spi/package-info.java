/**
 * The provider-check SPI: what a provider bundle (Microsoft, Google, IMAP, EAS, ...) implements
 * and registers as a whiteboard service so that the engine consults it.
 */
@Export
@Version("1.2.0")
package io.synctriage.model.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
