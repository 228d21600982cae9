package dev.kvsim.sla;

import dev.kvsim.engine.NodeProbe;
import dev.kvsim.instance.StoredInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One probe of an instance's endpoint, as a customer would: connect, AUTH as the default account
 * (with kvsim's {@link dev.kvsim.access.ProbeLogin}: kvsim keeps only a hash of the instance's
 * password), PING. The PING reaches the master, so a probe succeeds only end to end.
 */
final class SlaProbe {

    private static final int TIMEOUT_MS = 2000;

    private SlaProbe() {
    }

    static boolean serves(StoredInstance i, String probeSecret) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", i.port()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            StringBuilder cmd = new StringBuilder();
            int replies = 1;
            if (!i.passwordFree()) {
                byte[] pw = probeSecret.getBytes(StandardCharsets.UTF_8);
                cmd.append("*2\r\n$4\r\nAUTH\r\n$").append(pw.length).append("\r\n").append(probeSecret).append("\r\n");
                replies++;
            }
            cmd.append("*1\r\n$4\r\nPING\r\n");
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String last = null;
            for (int k = 0; k < replies; k++) {
                last = NodeProbe.line(in);
                if (last.startsWith("-")) {
                    return false;
                }
            }
            return "+PONG".equals(last);
        } catch (IOException e) {
            return false;
        }
    }
}
