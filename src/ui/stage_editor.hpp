// The stage editor of a pipeline: add, rename, reorder, recolour, set the probability and
// rotting days, edit exit criteria, and delete a stage with a place to move its deals; also
// renames the pipeline and adds new pipelines.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/workspace.hpp"

namespace pb::ui {

class PipeboardApp;

class StageEditor {
public:
    void open(const Id& pipeline_id);
    void close() { open_ = false; }
    bool is_open() const { return open_; }
    // A modal over the board; call once per frame inside the main window.
    void draw(PipeboardApp& app, Timestamp now);

private:
    // Text being typed into one stage's fields, kept until it is committed.
    struct StageFields {
        std::string name;
        std::string probability;
        std::string rotting_days;
        std::string new_criterion;
        std::string error;
        bool expanded = false;
    };

    void draw_stage_row(PipeboardApp& app, const Stage& stage, int row, int stage_count,
                        Timestamp now);
    void draw_delete_prompt(PipeboardApp& app, Timestamp now);
    void load(PipeboardApp& app);

    bool open_ = false;
    bool opening_ = false;
    Id pipeline_id_;
    std::uint64_t loaded_version_ = 0;
    std::string pipeline_name_;
    std::string new_stage_;
    std::string new_pipeline_;
    std::string error_;
    std::unordered_map<Id, StageFields> fields_;
    Id deleting_stage_id_;
    Id move_deals_to_;
};

}  // namespace pb::ui
