# `sam build` runs `make build-<FunctionLogicalId>` (template.yaml: BuildMethod makefile) in a copy
# of this directory and zips whatever lands in $(ARTIFACTS_DIR) for that function. Every function
# ships the same shaded jar; the Lambda Java runtime loads /var/task/lib/*.jar onto the function's
# class path, so the jar goes to lib/ as it is (the same file the local runner and its tests load).
FUNCTIONS := WebhooksFunction TestModeFunction InspectorFunction DocsFunction DispatcherFunction

.PHONY: $(addprefix build-,$(FUNCTIONS))

$(addprefix build-,$(FUNCTIONS)):
	mvn -B -q -DskipTests -pl functions -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/target/astra-functions.jar "$(ARTIFACTS_DIR)/lib/"
