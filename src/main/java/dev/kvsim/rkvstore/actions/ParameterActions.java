package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvsim.params.ParameterService;
import dev.kvsim.params.ParameterService.ParameterView;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcErrors;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parameters: ModifyInstanceConfig, DescribeInstanceConfig, DescribeParameters. */
@ApplicationScoped
public class ParameterActions implements RpcActions {

    private final ParameterService parameters;
    private final InstanceDescriptions descriptions;
    private final ObjectMapper json;

    public ParameterActions(ParameterService parameters, InstanceDescriptions descriptions, ObjectMapper json) {
        this.parameters = parameters;
        this.descriptions = descriptions;
        this.json = json;
    }

    @Override
    public void register(ActionTable table) {
        table.add("ModifyInstanceConfig", this::modify);
        table.add("DescribeInstanceConfig", this::describeConfig);
        table.add("DescribeParameters", this::describeParameters);
    }

    /** Config is a JSON object in a string: {@code {"maxmemory-policy":"noeviction","hz":"20"}}. */
    private Object modify(RpcRequest r) {
        String id = r.instanceId();
        String config = r.required("Config");
        JsonNode tree;
        try {
            tree = json.readTree(config);
        } catch (JsonProcessingException e) {
            throw RpcErrors.invalid("Config", "it is not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw RpcErrors.invalid("Config", "it must be a JSON object of parameter names and values, e.g. "
                    + "{\"maxmemory-policy\":\"noeviction\"}.");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        tree.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw RpcErrors.invalid("Config", "the value of '" + f.getKey() + "' must be a string or a number.");
            }
            changes.put(f.getKey(), v.asText());
        });
        parameters.modify(id, changes);
        return null;
    }

    public record Config(String config) {
    }

    private Config describeConfig(RpcRequest r) {
        return new Config(descriptions.config(r.instanceId()));
    }

    /** ConfigParameters carries ForceRestart and ModifiableStatus as booleans, RunningParameters as strings. */
    public record ConfigParameter(String parameterName, String parameterValue, String parameterDescription,
                                  String checkingCode, Boolean forceRestart, Boolean modifiableStatus) {
    }

    public record RunningParameter(String parameterName, String parameterValue, String parameterDescription,
                                   String checkingCode, String forceRestart, String modifiableStatus) {
    }

    public record ConfigParameters(List<ConfigParameter> parameter) {
    }

    public record RunningParameters(List<RunningParameter> parameter) {
    }

    public record Parameters(String engine, String engineVersion, ConfigParameters configParameters,
                             RunningParameters runningParameters) {
    }

    /** The parameters a change may set (ConfigParameters) and every parameter's running value. */
    private Parameters describeParameters(RpcRequest r) {
        String id = r.required("DBInstanceId");
        List<ParameterView> all = parameters.list(id);
        List<ConfigParameter> configurable = all.stream().filter(ParameterView::modifiable)
                .map(p -> new ConfigParameter(p.name(), p.value(), p.description(), p.allowedValues(), false, true))
                .toList();
        List<RunningParameter> running = all.stream()
                .map(p -> new RunningParameter(p.name(), p.value(), p.description(), p.allowedValues(), "false",
                        Boolean.toString(p.modifiable())))
                .toList();
        return new Parameters(InstanceDescriptions.ENGINE.toLowerCase(java.util.Locale.ROOT),
                descriptions.majorVersion(id), new ConfigParameters(configurable), new RunningParameters(running));
    }
}
