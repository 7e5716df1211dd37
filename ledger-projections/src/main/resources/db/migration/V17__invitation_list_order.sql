-- GET /api/v1/programs/{id}/invitations: a program's invitations newest first, a page at a time, without sorting
-- all of the program's invitations for every page.
CREATE INDEX invitation_program_position_idx ON invitation (tenant_id, program_id, global_position, invitation_id);
