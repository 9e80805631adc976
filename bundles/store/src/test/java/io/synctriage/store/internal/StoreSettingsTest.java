package io.synctriage.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.Test;

/** The store's settings as Configuration Admin delivers them from etc/io.synctriage.store.cfg. */
public class StoreSettingsTest {

    /** A configuration with the defaults of {@link StoreConfiguration}, except the given attributes. */
    private static StoreConfiguration config(Map<String, Object> overrides) {
        return (StoreConfiguration) Proxy.newProxyInstance(StoreConfiguration.class.getClassLoader(),
                new Class<?>[] {StoreConfiguration.class}, (proxy, method, args) -> {
                    Object v = overrides.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    public void theShippedCommaSeparatedConsumerDomainsLineIsAList() {
        // what a "consumer.domains = gmail.com,outlook.com, aol.com" line of the .cfg file becomes: one element
        StoreSettings s = StoreSettings.from(config(Map.of("consumer_domains",
                new String[] {"gmail.com,outlook.com, aol.com"})));
        assertTrue(s.isConsumerDomain("gmail.com"));
        assertTrue(s.isConsumerDomain("outlook.com"));
        assertTrue(s.isConsumerDomain("aol.com"));
        assertFalse(s.isConsumerDomain("contoso.com"));
        assertEquals(3, s.consumerDomains().size());
    }

    @Test
    public void theAnnotationDefaultsNameTheConsumerDomains() {
        StoreSettings s = StoreSettings.from(config(Map.of()));
        assertTrue(s.isConsumerDomain("gmail.com"));
        assertEquals(StoreSettings.DEFAULT_CONSUMER_DOMAINS, s.consumerDomains());
    }
}
