package dev.kvsim.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.access.AccountService;
import dev.kvsim.access.SecurityIpService;
import dev.kvsim.catalog.Catalog;
import dev.kvsim.catalog.InstanceClass;
import dev.kvsim.core.KvsimClock;
import dev.kvsim.events.EventStore;
import dev.kvsim.faults.FaultTypes;
import dev.kvsim.instance.StoredInstance;
import dev.kvsim.lifecycle.InstanceService;
import dev.kvsim.params.ParameterService;
import dev.kvsim.sla.SlaReport;
import dev.kvsim.sla.SlaService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import dev.kvsim.core.ServiceError;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The web console: server-rendered pages (Qute; everything shown is escaped) over the same services as the APIs.
 * The live parts (charts, statuses) and every change (create, delete, parameters, whitelist, accounts, faults) are the
 * pages' scripts calling {@code /api/v1} from this same origin with JSON bodies, so the API's rules and messages
 * are the console's.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance instances(List<InstanceRow> instances, List<ClassOption> classes);

        static native TemplateInstance instance(Header header, List<ParameterService.ParameterView> parameters,
                                                List<dev.kvsim.access.SecurityIpGroup> whitelist,
                                                List<AccountService.AccountView> accounts);

        static native TemplateInstance events(Header header, Timeline timeline);

        static native TemplateInstance faults(Header header, java.util.Set<String> types);

        static native TemplateInstance sla(Header header, SlaReport report, List<CauseRow> causes);

        static native TemplateInstance error(int status, String code, String message);
    }

    /** A row of the instance list. */
    public record InstanceRow(String instanceId, String name, String status, String instanceClass, String architecture,
                              String endpoint) {
    }

    /** A class in the create form. */
    public record ClassOption(String name, String description, boolean cluster, int shards) {
    }

    /** An SLA month's minutes of one cause: those counted and those excluded. */
    public record CauseRow(String cause, long counted, long excluded) {
    }

    /** What every page of one instance shows at its top. */
    public record Header(String instanceId, String name, String status, String instanceClass, String architecture,
                         String nodeType, int port, boolean passwordFree, String page) {

        public String redisUrl() {
            return "redis://127.0.0.1:" + port;
        }

        public String redisCli() {
            return "redis-cli -h 127.0.0.1 -p " + port + (passwordFree ? "" : " -a '<password>'");
        }
    }

    private final InstanceService instances;
    private final Catalog catalog;
    private final ParameterService parameters;
    private final SecurityIpService whitelist;
    private final AccountService accounts;
    private final EventStore events;
    private final SlaService sla;
    private final KvsimClock clock;
    private final ObjectMapper json;

    public ConsolePages(InstanceService instances, Catalog catalog, ParameterService parameters, SecurityIpService whitelist,
                        AccountService accounts, EventStore events, SlaService sla, KvsimClock clock, ObjectMapper json) {
        this.instances = instances;
        this.catalog = catalog;
        this.parameters = parameters;
        this.whitelist = whitelist;
        this.accounts = accounts;
        this.events = events;
        this.sla = sla;
        this.clock = clock;
        this.json = json;
    }

    @GET
    public TemplateInstance list() {
        List<InstanceRow> rows = instances.list().stream().map(i -> new InstanceRow(i.instanceId(), i.name(), i.status().name(),
                i.instanceClass(), classOf(i).map(InstanceClass::architecture).orElse(""), "127.0.0.1:" + i.port())).toList();
        List<ClassOption> classes = catalog.all().stream()
                .map(c -> new ClassOption(c.name(), c.description(), c.isCluster(), c.shards())).toList();
        return Templates.instances(rows, classes);
    }

    @GET
    @Path("instances/{id}")
    public TemplateInstance instance(@PathParam("id") String id) {
        return Templates.instance(header(id, "overview"), parameters.list(id), whitelist.list(id), accounts.list(id));
    }

    @GET
    @Path("instances/{id}/events")
    public TemplateInstance events(@PathParam("id") String id) {
        Header h = header(id, "events");
        return Templates.events(h, Timeline.of(events.of(id, null), clock.now(), json));
    }

    @GET
    @Path("instances/{id}/faults")
    public TemplateInstance faults(@PathParam("id") String id) {
        return Templates.faults(header(id, "faults"), FaultTypes.types());
    }

    /** {@code ?month=YYYY-MM}: the SLA's month (the current one by default). */
    @GET
    @Path("instances/{id}/sla")
    public TemplateInstance sla(@PathParam("id") String id, @QueryParam("month") String month) {
        Header h = header(id, "sla");
        SlaReport report = sla.report(id, month == null || month.isBlank() ? null : month);
        Map<String, long[]> byCause = new TreeMap<>();  // cause -> {counted, excluded}
        report.minutes().forEach(m -> byCause.computeIfAbsent(m.cause(), c -> new long[2])[m.excluded() ? 1 : 0]++);
        List<CauseRow> causes = byCause.entrySet().stream()
                .map(e -> new CauseRow(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
        return Templates.sla(h, report, causes);
    }

    /** A refusal (an unknown instance, a bad month) as a page, with the API's code and message. */
    @ServerExceptionMapper
    public Response refused(ServiceError e) {
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(e.status(), e.code(), e.getMessage()).render()).build();
    }

    private Header header(String id, String page) {
        StoredInstance i = instances.get(id);
        Optional<InstanceClass> c = classOf(i);
        return new Header(i.instanceId(), i.name(), i.status().name(), i.instanceClass(),
                c.map(InstanceClass::architecture).orElse(""), c.map(InstanceClass::nodeType).orElse(""), i.port(),
                i.passwordFree(), page);
    }

    private Optional<InstanceClass> classOf(StoredInstance i) {
        return catalog.find(i.instanceClass());
    }
}
