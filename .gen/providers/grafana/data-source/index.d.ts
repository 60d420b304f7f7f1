import { Construct } from 'constructs';
import * as cdktf from 'cdktf';
export interface DataSourceConfig extends cdktf.TerraformMetaArguments {
    /**
    * The method by which Grafana will access the data source: `proxy` or `direct`. Defaults to `proxy`.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#access_mode DataSource#access_mode}
    */
    readonly accessMode?: string;
    /**
    * Whether to enable basic auth for the data source. Defaults to `false`.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#basic_auth_enabled DataSource#basic_auth_enabled}
    */
    readonly basicAuthEnabled?: boolean | cdktf.IResolvable;
    /**
    * Basic auth username. Defaults to ``.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#basic_auth_username DataSource#basic_auth_username}
    */
    readonly basicAuthUsername?: string;
    /**
    * (Required by some data source types) The name of the database to use on the selected data source server. Defaults to ``.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#database_name DataSource#database_name}
    */
    readonly databaseName?: string;
    /**
    * Custom HTTP headers
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#http_headers DataSource#http_headers}
    */
    readonly httpHeaders?: {
        [key: string]: string;
    };
    /**
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#id DataSource#id}
    *
    * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
    * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
    */
    readonly id?: string;
    /**
    * Whether to set the data source as default. This should only be `true` to a single data source. Defaults to `false`.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#is_default DataSource#is_default}
    */
    readonly isDefault?: boolean | cdktf.IResolvable;
    /**
    * Serialized JSON string containing the json data. This attribute can be used to pass configuration options to the data source. To figure out what options a datasource has available, see its docs or inspect the network data when saving it from the Grafana UI. Note that keys in this map are usually camelCased.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#json_data_encoded DataSource#json_data_encoded}
    */
    readonly jsonDataEncoded?: string;
    /**
    * A unique name for the data source.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#name DataSource#name}
    */
    readonly name: string;
    /**
    * The Organization ID. If not set, the Org ID defined in the provider block will be used.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#org_id DataSource#org_id}
    */
    readonly orgId?: string;
    /**
    * (Can only be used with data sources in Grafana Cloud) The ID of the Private Data source Connect network to use with this data source. Defaults to ``.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#private_data_source_connect_network_id DataSource#private_data_source_connect_network_id}
    */
    readonly privateDataSourceConnectNetworkId?: string;
    /**
    * Serialized JSON string containing the secure json data. This attribute can be used to pass secure configuration options to the data source. To figure out what options a datasource has available, see its docs or inspect the network data when saving it from the Grafana UI. Note that keys in this map are usually camelCased.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#secure_json_data_encoded DataSource#secure_json_data_encoded}
    */
    readonly secureJsonDataEncoded?: string;
    /**
    * The data source type. Must be one of the supported data source keywords.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#type DataSource#type}
    */
    readonly type: string;
    /**
    * Unique identifier. If unset, this will be automatically generated.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#uid DataSource#uid}
    */
    readonly uid?: string;
    /**
    * The URL for the data source. The type of URL required varies depending on the chosen data source type.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#url DataSource#url}
    */
    readonly url?: string;
    /**
    * (Required by some data source types) The username to use to authenticate to the data source. Defaults to ``.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#username DataSource#username}
    */
    readonly username?: string;
}
/**
* Represents a {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source grafana_data_source}
*/
export declare class DataSource extends cdktf.TerraformResource {
    static readonly tfResourceType = "grafana_data_source";
    /**
    * Generates CDKTF code for importing a DataSource resource upon running "cdktf plan <stack-name>"
    * @param scope The scope in which to define this construct
    * @param importToId The construct id used in the generated config for the DataSource to import
    * @param importFromId The id of the existing DataSource that should be imported. Refer to the {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source#import import section} in the documentation of this resource for the id to use
    * @param provider? Optional instance of the provider where the DataSource to import is found
    */
    static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider): cdktf.ImportableResource;
    /**
    * Create a new {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/data_source grafana_data_source} Resource
    *
    * @param scope The scope in which to define this construct
    * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
    * @param options DataSourceConfig
    */
    constructor(scope: Construct, id: string, config: DataSourceConfig);
    private _accessMode?;
    get accessMode(): string;
    set accessMode(value: string);
    resetAccessMode(): void;
    get accessModeInput(): string | undefined;
    private _basicAuthEnabled?;
    get basicAuthEnabled(): boolean | cdktf.IResolvable;
    set basicAuthEnabled(value: boolean | cdktf.IResolvable);
    resetBasicAuthEnabled(): void;
    get basicAuthEnabledInput(): boolean | cdktf.IResolvable | undefined;
    private _basicAuthUsername?;
    get basicAuthUsername(): string;
    set basicAuthUsername(value: string);
    resetBasicAuthUsername(): void;
    get basicAuthUsernameInput(): string | undefined;
    private _databaseName?;
    get databaseName(): string;
    set databaseName(value: string);
    resetDatabaseName(): void;
    get databaseNameInput(): string | undefined;
    private _httpHeaders?;
    get httpHeaders(): {
        [key: string]: string;
    };
    set httpHeaders(value: {
        [key: string]: string;
    });
    resetHttpHeaders(): void;
    get httpHeadersInput(): {
        [key: string]: string;
    } | undefined;
    private _id?;
    get id(): string;
    set id(value: string);
    resetId(): void;
    get idInput(): string | undefined;
    private _isDefault?;
    get isDefault(): boolean | cdktf.IResolvable;
    set isDefault(value: boolean | cdktf.IResolvable);
    resetIsDefault(): void;
    get isDefaultInput(): boolean | cdktf.IResolvable | undefined;
    private _jsonDataEncoded?;
    get jsonDataEncoded(): string;
    set jsonDataEncoded(value: string);
    resetJsonDataEncoded(): void;
    get jsonDataEncodedInput(): string | undefined;
    private _name?;
    get name(): string;
    set name(value: string);
    get nameInput(): string | undefined;
    private _orgId?;
    get orgId(): string;
    set orgId(value: string);
    resetOrgId(): void;
    get orgIdInput(): string | undefined;
    private _privateDataSourceConnectNetworkId?;
    get privateDataSourceConnectNetworkId(): string;
    set privateDataSourceConnectNetworkId(value: string);
    resetPrivateDataSourceConnectNetworkId(): void;
    get privateDataSourceConnectNetworkIdInput(): string | undefined;
    private _secureJsonDataEncoded?;
    get secureJsonDataEncoded(): string;
    set secureJsonDataEncoded(value: string);
    resetSecureJsonDataEncoded(): void;
    get secureJsonDataEncodedInput(): string | undefined;
    private _type?;
    get type(): string;
    set type(value: string);
    get typeInput(): string | undefined;
    private _uid?;
    get uid(): string;
    set uid(value: string);
    resetUid(): void;
    get uidInput(): string | undefined;
    private _url?;
    get url(): string;
    set url(value: string);
    resetUrl(): void;
    get urlInput(): string | undefined;
    private _username?;
    get username(): string;
    set username(value: string);
    resetUsername(): void;
    get usernameInput(): string | undefined;
    protected synthesizeAttributes(): {
        [name: string]: any;
    };
    protected synthesizeHclAttributes(): {
        [name: string]: any;
    };
}
