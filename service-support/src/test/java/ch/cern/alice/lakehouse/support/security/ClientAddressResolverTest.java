package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressResolverTest {

    private static MockHttpServletRequest request(String remote, String... forwardedFor) {
        MockHttpServletRequest r = new MockHttpServletRequest();
        r.setRemoteAddr(remote);
        for (String header : forwardedFor) {
            r.addHeader("X-Forwarded-For", header);
        }
        return r;
    }

    private static ClientAddressResolver trusting(String... proxies) {
        return new ClientAddressResolver(List.of(proxies), Clock.systemUTC());
    }

    @Test
    void aClientThatIsNoTrustedProxyCannotPickItsAddress() {
        assertThat(trusting("10.0.0.2").clientAddress(request("203.0.113.5", "1.2.3.4"))).isEqualTo("203.0.113.5");
    }

    @Test
    void behindTheTrustedWebUiTheServiceSeesTheAddressTheWebUiAppended() {
        // the web UI copies the client's own X-Forwarded-For and appends the address it saw
        ClientAddressResolver service = trusting("10.0.0.2");

        assertThat(service.clientAddress(request("10.0.0.2", "198.51.100.7"))).isEqualTo("198.51.100.7");
        assertThat(service.clientAddress(request("10.0.0.2", "6.6.6.6, 7.7.7.7", "198.51.100.7")))
                .as("what the client wrote itself is ignored").isEqualTo("198.51.100.7");
        assertThat(service.clientAddress(request("10.0.0.2"))).isEqualTo("10.0.0.2");
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedFromTheRight() {
        ClientAddressResolver service = trusting("10.0.0.0/24", "172.16.0.1");

        assertThat(service.clientAddress(request("10.0.0.2", "6.6.6.6, 198.51.100.7, 172.16.0.1")))
                .isEqualTo("198.51.100.7");
        assertThat(service.clientAddress(request("10.0.0.2", "172.16.0.1"))).as("only proxies")
                .isEqualTo("172.16.0.1");
        assertThat(service.clientAddress(request("10.0.0.2", "not-an-address, 172.16.0.1")))
                .as("garbage from a trusted proxy: the last address named").isEqualTo("172.16.0.1");
    }

    @Test
    void portsBracketsIpv6AndHostNames() {
        ClientAddressResolver service = trusting("::1", "localhost");

        assertThat(service.clientAddress(request("0:0:0:0:0:0:0:1", "[2001:db8::7]:4711")))
                .isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(service.clientAddress(request("::1", "198.51.100.7:5000"))).isEqualTo("198.51.100.7");
        assertThat(service.clientAddress(request("127.0.0.1", "198.51.100.8"))).as("localhost resolves")
                .isEqualTo("198.51.100.8");
        assertThat(service.clientAddress(request("127.0.0.2", "198.51.100.9"))).isEqualTo("127.0.0.2");
    }

    @Test
    void badTrustedProxyEntriesAreRefusedAtStartup() {
        assertThatThrownBy(() -> trusting("10.0.0.0/33")).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> trusting("web ui")).hasMessageContaining("neither an IP address");
    }

    @Test
    void noDnsLookupForWhatClientsWrite() {
        assertThat(ClientAddressResolver.literal("example.org")).isNull();
        assertThat(ClientAddressResolver.literal("999.1.1.1")).isNull();
        assertThat(ClientAddressResolver.literal("1.2.3")).isNull();
        assertThat(ClientAddressResolver.literal("::ffff:198.51.100.7").getHostAddress()).isEqualTo("198.51.100.7");
    }
}
