import { Construct } from 'constructs';
import * as cdktf from 'cdktf';
export interface FolderConfig extends cdktf.TerraformMetaArguments {
    /**
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#id Folder#id}
    *
    * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
    * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
    */
    readonly id?: string;
    /**
    * The Organization ID. If not set, the Org ID defined in the provider block will be used.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#org_id Folder#org_id}
    */
    readonly orgId?: string;
    /**
    * The uid of the parent folder. If set, the folder will be nested. If not set, the folder will be created in the root folder. Note: This requires the nestedFolders feature flag to be enabled on your Grafana instance.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#parent_folder_uid Folder#parent_folder_uid}
    */
    readonly parentFolderUid?: string;
    /**
    * Prevent deletion of the folder if it is not empty (contains dashboards or alert rules). This feature requires Grafana 10.2 or later. Defaults to `false`.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#prevent_destroy_if_not_empty Folder#prevent_destroy_if_not_empty}
    */
    readonly preventDestroyIfNotEmpty?: boolean | cdktf.IResolvable;
    /**
    * The title of the folder.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#title Folder#title}
    */
    readonly title: string;
    /**
    * Unique identifier.
    *
    * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#uid Folder#uid}
    */
    readonly uid?: string;
}
/**
* Represents a {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder grafana_folder}
*/
export declare class Folder extends cdktf.TerraformResource {
    static readonly tfResourceType = "grafana_folder";
    /**
    * Generates CDKTF code for importing a Folder resource upon running "cdktf plan <stack-name>"
    * @param scope The scope in which to define this construct
    * @param importToId The construct id used in the generated config for the Folder to import
    * @param importFromId The id of the existing Folder that should be imported. Refer to the {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#import import section} in the documentation of this resource for the id to use
    * @param provider? Optional instance of the provider where the Folder to import is found
    */
    static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider): cdktf.ImportableResource;
    /**
    * Create a new {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder grafana_folder} Resource
    *
    * @param scope The scope in which to define this construct
    * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
    * @param options FolderConfig
    */
    constructor(scope: Construct, id: string, config: FolderConfig);
    private _id?;
    get id(): string;
    set id(value: string);
    resetId(): void;
    get idInput(): string | undefined;
    private _orgId?;
    get orgId(): string;
    set orgId(value: string);
    resetOrgId(): void;
    get orgIdInput(): string | undefined;
    private _parentFolderUid?;
    get parentFolderUid(): string;
    set parentFolderUid(value: string);
    resetParentFolderUid(): void;
    get parentFolderUidInput(): string | undefined;
    private _preventDestroyIfNotEmpty?;
    get preventDestroyIfNotEmpty(): boolean | cdktf.IResolvable;
    set preventDestroyIfNotEmpty(value: boolean | cdktf.IResolvable);
    resetPreventDestroyIfNotEmpty(): void;
    get preventDestroyIfNotEmptyInput(): boolean | cdktf.IResolvable | undefined;
    private _title?;
    get title(): string;
    set title(value: string);
    get titleInput(): string | undefined;
    private _uid?;
    get uid(): string;
    set uid(value: string);
    resetUid(): void;
    get uidInput(): string | undefined;
    get url(): string;
    protected synthesizeAttributes(): {
        [name: string]: any;
    };
    protected synthesizeHclAttributes(): {
        [name: string]: any;
    };
}
