"use strict";
// https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source
// generated from terraform resource schema
Object.defineProperty(exports, "__esModule", { value: true });
exports.DataSource = void 0;
const cdktf = require("cdktf");
/**
* Represents a {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source grafana_data_source}
*/
class DataSource extends cdktf.TerraformResource {
    // =================
    // STATIC PROPERTIES
    // =================
    static tfResourceType = "grafana_data_source";
    // ==============
    // STATIC Methods
    // ==============
    /**
    * Generates CDKTF code for importing a DataSource resource upon running "cdktf plan <stack-name>"
    * @param scope The scope in which to define this construct
    * @param importToId The construct id used in the generated config for the DataSource to import
    * @param importFromId The id of the existing DataSource that should be imported. Refer to the {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#import import section} in the documentation of this resource for the id to use
    * @param provider? Optional instance of the provider where the DataSource to import is found
    */
    static generateConfigForImport(scope, importToId, importFromId, provider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "grafana_data_source", importId: importFromId, provider });
    }
    // ===========
    // INITIALIZER
    // ===========
    /**
    * Create a new {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source grafana_data_source} Resource
    *
    * @param scope The scope in which to define this construct
    * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
    * @param options DataSourceConfig
    */
    constructor(scope, id, config) {
        super(scope, id, {
            terraformResourceType: 'grafana_data_source',
            terraformGeneratorMetadata: {
                providerName: 'grafana'
            },
            provider: config.provider,
            dependsOn: config.dependsOn,
            count: config.count,
            lifecycle: config.lifecycle,
            provisioners: config.provisioners,
            connection: config.connection,
            forEach: config.forEach
        });
        this._accessMode = config.accessMode;
        this._basicAuthEnabled = config.basicAuthEnabled;
        this._basicAuthUsername = config.basicAuthUsername;
        this._databaseName = config.databaseName;
        this._httpHeaders = config.httpHeaders;
        this._id = config.id;
        this._isDefault = config.isDefault;
        this._jsonDataEncoded = config.jsonDataEncoded;
        this._name = config.name;
        this._orgId = config.orgId;
        this._privateDataSourceConnectNetworkId = config.privateDataSourceConnectNetworkId;
        this._secureJsonDataEncoded = config.secureJsonDataEncoded;
        this._type = config.type;
        this._uid = config.uid;
        this._url = config.url;
        this._username = config.username;
    }
    // ==========
    // ATTRIBUTES
    // ==========
    // access_mode - computed: false, optional: true, required: false
    _accessMode;
    get accessMode() {
        return this.getStringAttribute('access_mode');
    }
    set accessMode(value) {
        this._accessMode = value;
    }
    resetAccessMode() {
        this._accessMode = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get accessModeInput() {
        return this._accessMode;
    }
    // basic_auth_enabled - computed: false, optional: true, required: false
    _basicAuthEnabled;
    get basicAuthEnabled() {
        return this.getBooleanAttribute('basic_auth_enabled');
    }
    set basicAuthEnabled(value) {
        this._basicAuthEnabled = value;
    }
    resetBasicAuthEnabled() {
        this._basicAuthEnabled = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get basicAuthEnabledInput() {
        return this._basicAuthEnabled;
    }
    // basic_auth_username - computed: false, optional: true, required: false
    _basicAuthUsername;
    get basicAuthUsername() {
        return this.getStringAttribute('basic_auth_username');
    }
    set basicAuthUsername(value) {
        this._basicAuthUsername = value;
    }
    resetBasicAuthUsername() {
        this._basicAuthUsername = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get basicAuthUsernameInput() {
        return this._basicAuthUsername;
    }
    // database_name - computed: false, optional: true, required: false
    _databaseName;
    get databaseName() {
        return this.getStringAttribute('database_name');
    }
    set databaseName(value) {
        this._databaseName = value;
    }
    resetDatabaseName() {
        this._databaseName = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get databaseNameInput() {
        return this._databaseName;
    }
    // http_headers - computed: false, optional: true, required: false
    _httpHeaders;
    get httpHeaders() {
        return this.getStringMapAttribute('http_headers');
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
    // id - computed: true, optional: true, required: false
    _id;
    get id() {
        return this.getStringAttribute('id');
    }
    set id(value) {
        this._id = value;
    }
    resetId() {
        this._id = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get idInput() {
        return this._id;
    }
    // is_default - computed: false, optional: true, required: false
    _isDefault;
    get isDefault() {
        return this.getBooleanAttribute('is_default');
    }
    set isDefault(value) {
        this._isDefault = value;
    }
    resetIsDefault() {
        this._isDefault = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get isDefaultInput() {
        return this._isDefault;
    }
    // json_data_encoded - computed: false, optional: true, required: false
    _jsonDataEncoded;
    get jsonDataEncoded() {
        return this.getStringAttribute('json_data_encoded');
    }
    set jsonDataEncoded(value) {
        this._jsonDataEncoded = value;
    }
    resetJsonDataEncoded() {
        this._jsonDataEncoded = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get jsonDataEncodedInput() {
        return this._jsonDataEncoded;
    }
    // name - computed: false, optional: false, required: true
    _name;
    get name() {
        return this.getStringAttribute('name');
    }
    set name(value) {
        this._name = value;
    }
    // Temporarily expose input value. Use with caution.
    get nameInput() {
        return this._name;
    }
    // org_id - computed: false, optional: true, required: false
    _orgId;
    get orgId() {
        return this.getStringAttribute('org_id');
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
    // private_data_source_connect_network_id - computed: false, optional: true, required: false
    _privateDataSourceConnectNetworkId;
    get privateDataSourceConnectNetworkId() {
        return this.getStringAttribute('private_data_source_connect_network_id');
    }
    set privateDataSourceConnectNetworkId(value) {
        this._privateDataSourceConnectNetworkId = value;
    }
    resetPrivateDataSourceConnectNetworkId() {
        this._privateDataSourceConnectNetworkId = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get privateDataSourceConnectNetworkIdInput() {
        return this._privateDataSourceConnectNetworkId;
    }
    // secure_json_data_encoded - computed: false, optional: true, required: false
    _secureJsonDataEncoded;
    get secureJsonDataEncoded() {
        return this.getStringAttribute('secure_json_data_encoded');
    }
    set secureJsonDataEncoded(value) {
        this._secureJsonDataEncoded = value;
    }
    resetSecureJsonDataEncoded() {
        this._secureJsonDataEncoded = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get secureJsonDataEncodedInput() {
        return this._secureJsonDataEncoded;
    }
    // type - computed: false, optional: false, required: true
    _type;
    get type() {
        return this.getStringAttribute('type');
    }
    set type(value) {
        this._type = value;
    }
    // Temporarily expose input value. Use with caution.
    get typeInput() {
        return this._type;
    }
    // uid - computed: true, optional: true, required: false
    _uid;
    get uid() {
        return this.getStringAttribute('uid');
    }
    set uid(value) {
        this._uid = value;
    }
    resetUid() {
        this._uid = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get uidInput() {
        return this._uid;
    }
    // url - computed: false, optional: true, required: false
    _url;
    get url() {
        return this.getStringAttribute('url');
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
    // username - computed: false, optional: true, required: false
    _username;
    get username() {
        return this.getStringAttribute('username');
    }
    set username(value) {
        this._username = value;
    }
    resetUsername() {
        this._username = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get usernameInput() {
        return this._username;
    }
    // =========
    // SYNTHESIS
    // =========
    synthesizeAttributes() {
        return {
            access_mode: cdktf.stringToTerraform(this._accessMode),
            basic_auth_enabled: cdktf.booleanToTerraform(this._basicAuthEnabled),
            basic_auth_username: cdktf.stringToTerraform(this._basicAuthUsername),
            database_name: cdktf.stringToTerraform(this._databaseName),
            http_headers: cdktf.hashMapper(cdktf.stringToTerraform)(this._httpHeaders),
            id: cdktf.stringToTerraform(this._id),
            is_default: cdktf.booleanToTerraform(this._isDefault),
            json_data_encoded: cdktf.stringToTerraform(this._jsonDataEncoded),
            name: cdktf.stringToTerraform(this._name),
            org_id: cdktf.stringToTerraform(this._orgId),
            private_data_source_connect_network_id: cdktf.stringToTerraform(this._privateDataSourceConnectNetworkId),
            secure_json_data_encoded: cdktf.stringToTerraform(this._secureJsonDataEncoded),
            type: cdktf.stringToTerraform(this._type),
            uid: cdktf.stringToTerraform(this._uid),
            url: cdktf.stringToTerraform(this._url),
            username: cdktf.stringToTerraform(this._username),
        };
    }
    synthesizeHclAttributes() {
        const attrs = {
            access_mode: {
                value: cdktf.stringToHclTerraform(this._accessMode),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            basic_auth_enabled: {
                value: cdktf.booleanToHclTerraform(this._basicAuthEnabled),
                isBlock: false,
                type: "simple",
                storageClassType: "boolean",
            },
            basic_auth_username: {
                value: cdktf.stringToHclTerraform(this._basicAuthUsername),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            database_name: {
                value: cdktf.stringToHclTerraform(this._databaseName),
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
            id: {
                value: cdktf.stringToHclTerraform(this._id),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            is_default: {
                value: cdktf.booleanToHclTerraform(this._isDefault),
                isBlock: false,
                type: "simple",
                storageClassType: "boolean",
            },
            json_data_encoded: {
                value: cdktf.stringToHclTerraform(this._jsonDataEncoded),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            name: {
                value: cdktf.stringToHclTerraform(this._name),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            org_id: {
                value: cdktf.stringToHclTerraform(this._orgId),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            private_data_source_connect_network_id: {
                value: cdktf.stringToHclTerraform(this._privateDataSourceConnectNetworkId),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            secure_json_data_encoded: {
                value: cdktf.stringToHclTerraform(this._secureJsonDataEncoded),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            type: {
                value: cdktf.stringToHclTerraform(this._type),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            uid: {
                value: cdktf.stringToHclTerraform(this._uid),
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
            username: {
                value: cdktf.stringToHclTerraform(this._username),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
        };
        // remove undefined attributes
        return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
    }
}
exports.DataSource = DataSource;
