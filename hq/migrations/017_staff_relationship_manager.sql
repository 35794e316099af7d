-- A member of staff who is a relationship manager is tied to the book they work (客户经理号):
-- the customers whose assigned_rm_id is theirs. Their desk opens on that book; the sign-in
-- response carries it to the device (StaffUser.rmId). NULL for everyone else.
ALTER TABLE staff_user ADD COLUMN relationship_manager_id text REFERENCES relationship_manager (id);
CREATE UNIQUE INDEX staff_user_by_relationship_manager ON staff_user (relationship_manager_id)
  WHERE relationship_manager_id IS NOT NULL;
