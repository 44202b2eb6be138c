import React from 'react';

interface Props {
  user: { id: string; name: string; email?: string; avatarUrl?: string };
  onSelect(id: string): void;
}

export function UserCard({ user, onSelect }: Props) {
  return (
    <div className="user-card" onClick={() => onSelect(user.id)}>
      {user.avatarUrl && <img src={user.avatarUrl} alt="" />}
      <span className='name'>{user.name}</span>
      {user.email ? <a href={'mailto:' + user.email}>{user.email}</a> : null}
    </div>
  );
}
