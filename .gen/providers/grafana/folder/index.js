"use strict";
// https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder
// generated from terraform resource schema
Object.defineProperty(exports, "__esModule", { value: true });
exports.Folder = void 0;
const cdktf = require("cdktf");
/**
* Represents a {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder grafana_folder}
*/
class Folder extends cdktf.TerraformResource {
    // =================
    // STATIC PROPERTIES
    // =================
    static tfResourceType = "grafana_folder";
    // ==============
    // STATIC Methods
    // ==============
    /**
    * Generates CDKTF code for importing a Folder resource upon running "cdktf plan <stack-name>"
    * @param scope The scope in which to define this construct
    * @param importToId The construct id used in the generated config for the Folder to import
    * @param importFromId The id of the existing Folder that should be imported. Refer to the {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder#import import section} in the documentation of this resource for the id to use
    * @param provider? Optional instance of the provider where the Folder to import is found
    */
    static generateConfigForImport(scope, importToId, importFromId, provider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "grafana_folder", importId: importFromId, provider });
    }
    // ===========
    // INITIALIZER
    // ===========
    /**
    * Create a new {@link https://registry.terraform.io/providers/grafana/grafana/latest/docs/resources/folder grafana_folder} Resource
    *
    * @param scope The scope in which to define this construct
    * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
    * @param options FolderConfig
    */
    constructor(scope, id, config) {
        super(scope, id, {
            terraformResourceType: 'grafana_folder',
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
        this._id = config.id;
        this._orgId = config.orgId;
        this._parentFolderUid = config.parentFolderUid;
        this._preventDestroyIfNotEmpty = config.preventDestroyIfNotEmpty;
        this._title = config.title;
        this._uid = config.uid;
    }
    // ==========
    // ATTRIBUTES
    // ==========
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
    // parent_folder_uid - computed: false, optional: true, required: false
    _parentFolderUid;
    get parentFolderUid() {
        return this.getStringAttribute('parent_folder_uid');
    }
    set parentFolderUid(value) {
        this._parentFolderUid = value;
    }
    resetParentFolderUid() {
        this._parentFolderUid = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get parentFolderUidInput() {
        return this._parentFolderUid;
    }
    // prevent_destroy_if_not_empty - computed: false, optional: true, required: false
    _preventDestroyIfNotEmpty;
    get preventDestroyIfNotEmpty() {
        return this.getBooleanAttribute('prevent_destroy_if_not_empty');
    }
    set preventDestroyIfNotEmpty(value) {
        this._preventDestroyIfNotEmpty = value;
    }
    resetPreventDestroyIfNotEmpty() {
        this._preventDestroyIfNotEmpty = undefined;
    }
    // Temporarily expose input value. Use with caution.
    get preventDestroyIfNotEmptyInput() {
        return this._preventDestroyIfNotEmpty;
    }
    // title - computed: false, optional: false, required: true
    _title;
    get title() {
        return this.getStringAttribute('title');
    }
    set title(value) {
        this._title = value;
    }
    // Temporarily expose input value. Use with caution.
    get titleInput() {
        return this._title;
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
    // url - computed: true, optional: false, required: false
    get url() {
        return this.getStringAttribute('url');
    }
    // =========
    // SYNTHESIS
    // =========
    synthesizeAttributes() {
        return {
            id: cdktf.stringToTerraform(this._id),
            org_id: cdktf.stringToTerraform(this._orgId),
            parent_folder_uid: cdktf.stringToTerraform(this._parentFolderUid),
            prevent_destroy_if_not_empty: cdktf.booleanToTerraform(this._preventDestroyIfNotEmpty),
            title: cdktf.stringToTerraform(this._title),
            uid: cdktf.stringToTerraform(this._uid),
        };
    }
    synthesizeHclAttributes() {
        const attrs = {
            id: {
                value: cdktf.stringToHclTerraform(this._id),
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
            parent_folder_uid: {
                value: cdktf.stringToHclTerraform(this._parentFolderUid),
                isBlock: false,
                type: "simple",
                storageClassType: "string",
            },
            prevent_destroy_if_not_empty: {
                value: cdktf.booleanToHclTerraform(this._preventDestroyIfNotEmpty),
                isBlock: false,
                type: "simple",
                storageClassType: "boolean",
            },
            title: {
                value: cdktf.stringToHclTerraform(this._title),
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
        };
        // remove undefined attributes
        return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
    }
}
exports.Folder = Folder;
