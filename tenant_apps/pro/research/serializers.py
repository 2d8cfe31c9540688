"""Shapes of the research API: training, campaigns, clinical trials."""

from rest_framework import serializers

from tenant_apps.events.models import Event
from tenant_apps.knowledge.models import Article
from tenant_apps.pro.models import Campaign, ClinicalTrial, TrialCentre


class EventRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "title", "format", "starts_at", "ends_at", "online", "training"]


class ArticleRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "title", "summary", "training"]


class TrainingSerializer(serializers.Serializer):
    events = EventRowSerializer(many=True)
    articles = ArticleRowSerializer(many=True)


class CampaignRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "slug", "title", "kind", "summary", "starts_on", "ends_on", "published"]


class CampaignSerializer(serializers.Serializer):
    campaign = CampaignRowSerializer()
    body_html = serializers.CharField(source="campaign.body_html")
    events = EventRowSerializer(many=True)
    articles = ArticleRowSerializer(many=True)


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrialCentre
        fields = ["name", "city", "region"]


class TrialSerializer(serializers.ModelSerializer):
    centres = CentreSerializer(many=True, read_only=True)

    class Meta:
        model = ClinicalTrial
        fields = ["id", "title", "acronym", "phase", "status", "conditions", "summary",
                  "registry_number", "contact", "centres", "updated"]  # fmt: skip


class TrialPageSerializer(serializers.Serializer):
    trials = TrialSerializer(many=True)
    next_cursor = serializers.IntegerField(allow_null=True)


class TrialCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    acronym = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    phase = serializers.ChoiceField(choices=ClinicalTrial.Phase.choices)
    status = serializers.ChoiceField(
        choices=ClinicalTrial.Status.choices, default=ClinicalTrial.Status.RECRUITING
    )
    conditions = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=3000, required=False, default="", allow_blank=True)
    registry_number = serializers.CharField(max_length=40)
    contact = serializers.CharField(max_length=300)
    centres = serializers.CharField(
        max_length=12000,
        required=False,
        default="",
        allow_blank=True,
        help_text='One centre a line: "centre ; city ; département or région".',
    )


class CampaignWriteSerializer(serializers.Serializer):
    """A campaign's fields; ``events`` and ``articles`` are ids among those the editor may
    attach (``access.linkable_events`` / ``linkable_articles``, given in the context)."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Campaign.Kind.choices)
    summary = serializers.CharField(max_length=600)
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    published = serializers.BooleanField(required=False, default=False)
    events = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Event.objects.none()
    )
    articles = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Article.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "events" in self.context:  # the schema generator makes one without a context
            self.fields["events"].child_relation.queryset = self.context["events"]
            self.fields["articles"].child_relation.queryset = self.context["articles"]
