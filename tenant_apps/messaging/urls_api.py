from django.urls import path

from tenant_apps.messaging import api

urlpatterns = [
    path("conversations/", api.ConversationListView.as_view(), name="api_conversations"),
    path(
        "conversations/<int:pk>/messages/",
        api.MessageListView.as_view(),
        name="api_conversation_messages",
    ),
    path("conversations/<int:pk>/read/", api.ReadView.as_view(), name="api_conversation_read"),
    path("conversations/<int:pk>/block/", api.BlockView.as_view(), name="api_conversation_block"),
    path("conversations/<int:pk>/hide/", api.HideView.as_view(), name="api_conversation_hide"),
    path("send/", api.SendView.as_view(), name="api_message_send"),
    path("preferences/", api.PreferencesView.as_view(), name="api_message_preferences"),
]
