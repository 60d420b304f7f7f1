"use strict";
// https://registry.terraform.io/providers/grafana/grafana/latest/docs
// generated from terraform resource schema
Object.defineProperty(exports, "__esModule", { value: true });
exports.GrafanaProvider = void 0;
const cdktf = require("cdktf");
/**
* Represents a {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs grafana}
*/
class GrafanaProvider extends cdktf.TerraformProvider {
    // =================
    // STATIC PROPERTIES
    // =================
    static tfResourceType = "grafana";
    // ==============
    // STATIC Methods
    // ==============
    /**
    * Generates CDKTF code for importing a GrafanaProvider resource upon running "cdktf plan <stack-name>"
    * @param scope The scope in which to define this construct
    * @param importToId The construct id used in the generated config for the GrafanaProvider to import
    * @param importFromId The id of the existing GrafanaProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs#import import section} in the documentation of this resource for the id to use
    * @param provider? Optional instance of the provider where the GrafanaProvider to import is found
    */
    static generateConfigForImport(scope, importToId, importFromId, provider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "grafana", importId: importFromId, provider });
    }
    // ===========
    // INITIALIZER
    // ===========
    /**
    * Create a new {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs grafana} Resource
    *
    * @param scope The scope in which to define this construct
    * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
    * @param options GrafanaProviderConfig = {}
    */
    constructor(scope, id, config = {}) {
        super(scope, id, {
            terraformResourceType: 'grafana',
            terraformGeneratorMetadata: {
                providerName: 'grafana'
            },
            terraformProviderSource: 'registry.terraform.io/grafana/grafana'
        });
        this._auth = config.auth;
        this._caCert = config.caCert;
        this._cloudAccessPolicyToken = config.cloudAccessPolicyToken;
        this._cloudApiUrl = config.cloudApiUrl;
        this._cloudProviderAccessToken = config.cloudProviderAccessToken;
        this._cloudProviderUrl = config.cloudProviderUrl;
        this._connectionsApiAccessToken = config.connectionsApiAccessToken;
        this._connectionsApiUrl = config.connectionsApiUrl;
        this._fleetManagementAuth = config.fleetManagementAuth;
        this._fleetManagementUrl = config.fleetManagementUrl;
        this._frontendO11YApiAccessToken = config.frontendO11YApiAccessToken;
        this._frontendO11YApiUrl = config.frontendO11YApiUrl;
        this._httpHeaders = config.httpHeaders;
        this._insecureSkipVerify = config.insecureSkipVerify;
        this._k6AccessToken = config.k6AccessToken;
        this._k6Url = config.k6Url;
        this._oncallAccessToken = config.oncallAccessToken;
        this._oncallUrl = config.oncallUrl;
        this._orgId = config.orgId;
        this._retries = config.retries;
        this._retryStatusCodes = config.retryStatusCodes;
        this._retryWait = config.retryWait;
        this._smAccessToken = config.smAccessToken;
        this._smUrl = config.smUrl;
        this._stackId = config.stackId;
        this._storeDashboardSha256 = config.storeDashboardSha256;
        this._tlsCert = config.tlsCert;
        this._tlsKey = config.tlsKey;
        this._url = config.url;
        this._alias = config.alias;
    }
    // ==========
    // ATTRIBUTES
    // ==========
    // auth - computed: false, optional: true, required: false
    _auth;
    get auth() {
        return this._auth;
    }
    set auth(value) {
        this._auth = value;
    }
    resetAuth() {
        this._auth = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get authInput() {
        return this._auth;
    }
    // ca_cert - computed: false, optional: true, required: false
    _caCert;
    get caCert() {
        return this._caCert;
    }
    set caCert(value) {
        this._caCert = value;
    }
    resetCaCert() {
        this._caCert = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get caCertInput() {
        return this._caCert;
    }
    // cloud_access_policy_token - computed: false, optional: true, required: false
    _cloudAccessPolicyToken;
    get cloudAccessPolicyToken() {
        return this._cloudAccessPolicyToken;
    }
    set cloudAccessPolicyToken(value) {
        this._cloudAccessPolicyToken = value;
    }
    resetCloudAccessPolicyToken() {
        this._cloudAccessPolicyToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get cloudAccessPolicyTokenInput() {
        return this._cloudAccessPolicyToken;
    }
    // cloud_api_url - computed: false, optional: true, required: false
    _cloudApiUrl;
    get cloudApiUrl() {
        return this._cloudApiUrl;
    }
    set cloudApiUrl(value) {
        this._cloudApiUrl = value;
    }
    resetCloudApiUrl() {
        this._cloudApiUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get cloudApiUrlInput() {
        return this._cloudApiUrl;
    }
    // cloud_provider_access_token - computed: false, optional: true, required: false
    _cloudProviderAccessToken;
    get cloudProviderAccessToken() {
        return this._cloudProviderAccessToken;
    }
    set cloudProviderAccessToken(value) {
        this._cloudProviderAccessToken = value;
    }
    resetCloudProviderAccessToken() {
        this._cloudProviderAccessToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get cloudProviderAccessTokenInput() {
        return this._cloudProviderAccessToken;
    }
    // cloud_provider_url - computed: false, optional: true, required: false
    _cloudProviderUrl;
    get cloudProviderUrl() {
        return this._cloudProviderUrl;
    }
    set cloudProviderUrl(value) {
        this._cloudProviderUrl = value;
    }
    resetCloudProviderUrl() {
        this._cloudProviderUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get cloudProviderUrlInput() {
        return this._cloudProviderUrl;
    }
    // connections_api_access_token - computed: false, optional: true, required: false
    _connectionsApiAccessToken;
    get connectionsApiAccessToken() {
        return this._connectionsApiAccessToken;
    }
    set connectionsApiAccessToken(value) {
        this._connectionsApiAccessToken = value;
    }
    resetConnectionsApiAccessToken() {
        this._connectionsApiAccessToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get connectionsApiAccessTokenInput() {
        return this._connectionsApiAccessToken;
    }
    // connections_api_url - computed: false, optional: true, required: false
    _connectionsApiUrl;
    get connectionsApiUrl() {
        return this._connectionsApiUrl;
    }
    set connectionsApiUrl(value) {
        this._connectionsApiUrl = value;
    }
    resetConnectionsApiUrl() {
        this._connectionsApiUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get connectionsApiUrlInput() {
        return this._connectionsApiUrl;
    }
    // fleet_management_auth - computed: false, optional: true, required: false
    _fleetManagementAuth;
    get fleetManagementAuth() {
        return this._fleetManagementAuth;
    }
    set fleetManagementAuth(value) {
        this._fleetManagementAuth = value;
    }
    resetFleetManagementAuth() {
        this._fleetManagementAuth = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get fleetManagementAuthInput() {
        return this._fleetManagementAuth;
    }
    // fleet_management_url - computed: false, optional: true, required: false
    _fleetManagementUrl;
    get fleetManagementUrl() {
        return this._fleetManagementUrl;
    }
    set fleetManagementUrl(value) {
        this._fleetManagementUrl = value;
    }
    resetFleetManagementUrl() {
        this._fleetManagementUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get fleetManagementUrlInput() {
        return this._fleetManagementUrl;
    }
    // frontend_o11y_api_access_token - computed: false, optional: true, required: false
    _frontendO11YApiAccessToken;
    get frontendO11YApiAccessToken() {
        return this._frontendO11YApiAccessToken;
    }
    set frontendO11YApiAccessToken(value) {
        this._frontendO11YApiAccessToken = value;
    }
    resetFrontendO11YApiAccessToken() {
        this._frontendO11YApiAccessToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get frontendO11YApiAccessTokenInput() {
        return this._frontendO11YApiAccessToken;
    }
    // frontend_o11y_api_url - computed: false, optional: true, required: false
    _frontendO11YApiUrl;
    get frontendO11YApiUrl() {
        return this._frontendO11YApiUrl;
    }
    set frontendO11YApiUrl(value) {
        this._frontendO11YApiUrl = value;
    }
    resetFrontendO11YApiUrl() {
        this._frontendO11YApiUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get frontendO11YApiUrlInput() {
        return this._frontendO11YApiUrl;
    }
    // http_headers - computed: false, optional: true, required: false
    _httpHeaders;
    get httpHeaders() {
        return this._httpHeaders;
    }
    set httpHeaders(value) {
        this._httpHeaders = value;
    }
    resetHttpHeaders() {
        this._httpHeaders = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get httpHeadersInput() {
        return this._httpHeaders;
    }
    // insecure_skip_verify - computed: false, optional: true, required: false
    _insecureSkipVerify;
    get insecureSkipVerify() {
        return this._insecureSkipVerify;
    }
    set insecureSkipVerify(value) {
        this._insecureSkipVerify = value;
    }
    resetInsecureSkipVerify() {
        this._insecureSkipVerify = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get insecureSkipVerifyInput() {
        return this._insecureSkipVerify;
    }
    // k6_access_token - computed: false, optional: true, required: false
    _k6AccessToken;
    get k6AccessToken() {
        return this._k6AccessToken;
    }
    set k6AccessToken(value) {
        this._k6AccessToken = value;
    }
    resetK6AccessToken() {
        this._k6AccessToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get k6AccessTokenInput() {
        return this._k6AccessToken;
    }
    // k6_url - computed: false, optional: true, required: false
    _k6Url;
    get k6Url() {
        return this._k6Url;
    }
    set k6Url(value) {
        this._k6Url = value;
    }
    resetK6Url() {
        this._k6Url = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get k6UrlInput() {
        return this._k6Url;
    }
    // oncall_access_token - computed: false, optional: true, required: false
    _oncallAccessToken;
    get oncallAccessToken() {
        return this._oncallAccessToken;
    }
    set oncallAccessToken(value) {
        this._oncallAccessToken = value;
    }
    resetOncallAccessToken() {
        this._oncallAccessToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get oncallAccessTokenInput() {
        return this._oncallAccessToken;
    }
    // oncall_url - computed: false, optional: true, required: false
    _oncallUrl;
    get oncallUrl() {
        return this._oncallUrl;
    }
    set oncallUrl(value) {
        this._oncallUrl = value;
    }
    resetOncallUrl() {
        this._oncallUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get oncallUrlInput() {
        return this._oncallUrl;
    }
    // org_id - computed: false, optional: true, required: false
    _orgId;
    get orgId() {
        return this._orgId;
    }
    set orgId(value) {
        this._orgId = value;
    }
    resetOrgId() {
        this._orgId = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get orgIdInput() {
        return this._orgId;
    }
    // retries - computed: false, optional: true, required: false
    _retries;
    get retries() {
        return this._retries;
    }
    set retries(value) {
        this._retries = value;
    }
    resetRetries() {
        this._retries = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get retriesInput() {
        return this._retries;
    }
    // retry_status_codes - computed: false, optional: true, required: false
    _retryStatusCodes;
    get retryStatusCodes() {
        return this._retryStatusCodes;
    }
    set retryStatusCodes(value) {
        this._retryStatusCodes = value;
    }
    resetRetryStatusCodes() {
        this._retryStatusCodes = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get retryStatusCodesInput() {
        return this._retryStatusCodes;
    }
    // retry_wait - computed: false, optional: true, required: false
    _retryWait;
    get retryWait() {
        return this._retryWait;
    }
    set retryWait(value) {
        this._retryWait = value;
    }
    resetRetryWait() {
        this._retryWait = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get retryWaitInput() {
        return this._retryWait;
    }
    // sm_access_token - computed: false, optional: true, required: false
    _smAccessToken;
    get smAccessToken() {
        return this._smAccessToken;
    }
    set smAccessToken(value) {
        this._smAccessToken = value;
    }
    resetSmAccessToken() {
        this._smAccessToken = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get smAccessTokenInput() {
        return this._smAccessToken;
    }
    // sm_url - computed: false, optional: true, required: false
    _smUrl;
    get smUrl() {
        return this._smUrl;
    }
    set smUrl(value) {
        this._smUrl = value;
    }
    resetSmUrl() {
        this._smUrl = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get smUrlInput() {
        return this._smUrl;
    }
    // stack_id - computed: false, optional: true, required: false
    _stackId;
    get stackId() {
        return this._stackId;
    }
    set stackId(value) {
        this._stackId = value;
    }
    resetStackId() {
        this._stackId = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get stackIdInput() {
        return this._stackId;
    }
    // store_dashboard_sha256 - computed: false, optional: true, required: false
    _storeDashboardSha256;
    get storeDashboardSha256() {
        return this._storeDashboardSha256;
    }
    set storeDashboardSha256(value) {
        this._storeDashboardSha256 = value;
    }
    resetStoreDashboardSha256() {
        this._storeDashboardSha256 = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get storeDashboardSha256Input() {
        return this._storeDashboardSha256;
    }
    // tls_cert - computed: false, optional: true, required: false
    _tlsCert;
    get tlsCert() {
        return this._tlsCert;
    }
    set tlsCert(value) {
        this._tlsCert = value;
    }
    resetTlsCert() {
        this._tlsCert = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get tlsCertInput() {
        return this._tlsCert;
    }
    // tls_key - computed: false, optional: true, required: false
    _tlsKey;
    get tlsKey() {
        return this._tlsKey;
    }
    set tlsKey(value) {
        this._tlsKey = value;
    }
    resetTlsKey() {
        this._tlsKey = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get tlsKeyInput() {
        return this._tlsKey;
    }
    // url - computed: false, optional: true, required: false
    _url;
    get url() {
        return this._url;
    }
    set url(value) {
        this._url = value;
    }
    resetUrl() {
        this._url = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get urlInput() {
        return this._url;
    }
    // alias - computed: false, optional: true, required: false
    _alias;
    get alias() {
        return this._alias;
    }
    set alias(value) {
        this._alias = value;
    }
    resetAlias() {
        this._alias = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get aliasInput() {
        return this._alias;
    }
    // =========
    // SYNTHESIS
    // =========
    synthesizeAttributes() {
        return {
            auth: cdktf.stringToTerraform(this._auth),
            ca_cert: cdktf.stringToTerraform(this._caCert),
            cloud_access_policy_token: cdktf.stringToTerraform(this._cloudAccessPolicyToken),
            cloud_api_url: cdktf.stringToTerraform(this._cloudApiUrl),
            cloud_provider_access_token: cdktf.stringToTerraform(this._cloudProviderAccessToken),
            cloud_provider_url: cdktf.stringToTerraform(this._cloudProviderUrl),
            connections_api_access_token: cdktf.stringToTerraform(this._connectionsApiAccessToken),
            connections_api_url: cdktf.stringToTerraform(this._connectionsApiUrl),
            fleet_management_auth: cdktf.stringToTerraform(this._fleetManagementAuth),
            fleet_management_url: cdktf.stringToTerraform(this._fleetManagementUrl),
            frontend_o11y_api_access_token: cdktf.stringToTerraform(this._frontendO11YApiAccessToken),
            frontend_o11y_api_url: cdktf.stringToTerraform(this._frontendO11YApiUrl),
            http_headers: cdktf.hashMapper(cdktf.stringToTerraform)(this._httpHeaders),
            insecure_skip_verify: cdktf.booleanToTerraform(this._insecureSkipVerify),
            k6_access_token: cdktf.stringToTerraform(this._k6AccessToken),
            k6_url: cdktf.stringToTerraform(this._k6Url),
            oncall_access_token: cdktf.stringToTerraform(this._oncallAccessToken),
            oncall_url: cdktf.stringToTerraform(this._oncallUrl),
            org_id: cdktf.numberToTerraform(this._orgId),
            retries: cdktf.numberToTerraform(this._retries),
            retry_status_codes: cdktf.listMapper(cdktf.stringToTerraform, false)(this._retryStatusCodes),
            retry_wait: cdktf.numberToTerraform(this._retryWait),
            sm_access_token: cdktf.stringToTerraform(this._smAccessToken),
            sm_url: cdktf.stringToTerraform(this._smUrl),
            stack_id: cdktf.numberToTerraform(this._stackId),
            store_dashboard_sha256: cdktf.booleanToTerraform(this._storeDashboardSha256),
            tls_cert: cdktf.stringToTerraform(this._tlsCert),
            tls_key: cdktf.stringToTerraform(this._tlsKey),
            url: cdktf.stringToTerraform(this._url),
            alias: cdktf.stringToTerraform(this._alias),
        };
    }
    synthesizeHclAttributes() {
        const attrs = {
            auth: {
                value: cdktf.stringToHclTerraform(this._auth),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            ca_cert: {
                value: cdktf.stringToHclTerraform(this._caCert),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            cloud_access_policy_token: {
                value: cdktf.stringToHclTerraform(this._cloudAccessPolicyToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            cloud_api_url: {
                value: cdktf.stringToHclTerraform(this._cloudApiUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            cloud_provider_access_token: {
                value: cdktf.stringToHclTerraform(this._cloudProviderAccessToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            cloud_provider_url: {
                value: cdktf.stringToHclTerraform(this._cloudProviderUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            connections_api_access_token: {
                value: cdktf.stringToHclTerraform(this._connectionsApiAccessToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            connections_api_url: {
                value: cdktf.stringToHclTerraform(this._connectionsApiUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            fleet_management_auth: {
                value: cdktf.stringToHclTerraform(this._fleetManagementAuth),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            fleet_management_url: {
                value: cdktf.stringToHclTerraform(this._fleetManagementUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            frontend_o11y_api_access_token: {
                value: cdktf.stringToHclTerraform(this._frontendO11YApiAccessToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            frontend_o11y_api_url: {
                value: cdktf.stringToHclTerraform(this._frontendO11YApiUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            http_headers: {
                value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._httpHeaders),
                isBlock: false,
                type: "map",
                storageClassType: "stringMap",
            },
            insecure_skip_verify: {
                value: cdktf.booleanToHclTerraform(this._insecureSkipVerify),
                isBlock: false,
                type: "simple",
                storageClassType: "boolean",
            },
            k6_access_token: {
                value: cdktf.stringToHclTerraform(this._k6AccessToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            k6_url: {
                value: cdktf.stringToHclTerraform(this._k6Url),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            oncall_access_token: {
                value: cdktf.stringToHclTerraform(this._oncallAccessToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            oncall_url: {
                value: cdktf.stringToHclTerraform(this._oncallUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            org_id: {
                value: cdktf.numberToHclTerraform(this._orgId),
                isBlock: false,
                type: "simple",
                storageClassType: "number",
            },
            retries: {
                value: cdktf.numberToHclTerraform(this._retries),
                isBlock: false,
                type: "simple",
                storageClassType: "number",
            },
            retry_status_codes: {
                value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._retryStatusCodes),
                isBlock: false,
                type: "set",
                storageClassType: "stringList",
            },
            retry_wait: {
                value: cdktf.numberToHclTerraform(this._retryWait),
                isBlock: false,
                type: "simple",
                storageClassType: "number",
            },
            sm_access_token: {
                value: cdktf.stringToHclTerraform(this._smAccessToken),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            sm_url: {
                value: cdktf.stringToHclTerraform(this._smUrl),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            stack_id: {
                value: cdktf.numberToHclTerraform(this._stackId),
                isBlock: false,
                type: "simple",
                storageClassType: "number",
            },
            store_dashboard_sha256: {
                value: cdktf.booleanToHclTerraform(this._storeDashboardSha256),
                isBlock: false,
                type: "simple",
                storageClassType: "boolean",
            },
            tls_cert: {
                value: cdktf.stringToHclTerraform(this._tlsCert),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            tls_key: {
                value: cdktf.stringToHclTerraform(this._tlsKey),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            url: {
                value: cdktf.stringToHclTerraform(this._url),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            alias: {
                value: cdktf.stringToHclTerraform(this._alias),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
        };
        // remove undefined attributes
        return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
    }
}
exports.GrafanaProvider = GrafanaProvider;
